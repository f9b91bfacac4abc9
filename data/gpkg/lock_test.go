package gpkg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
)

func writeTestStudy(t *testing.T, s *Store, id string) error {
	t.Helper()
	_, _, layers := storetest.Input()
	return s.WriteStudy(context.Background(), storetest.Study(id, time.Now()), layers)
}

func studyIDs(t *testing.T, path string) []string {
	t.Helper()
	s, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sts, err := s.Studies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, st := range sts {
		ids = append(ids, st.ID)
	}
	return ids
}

// Two writers of one file at once (two Store values: two open file
// descriptions, as two processes): both studies are kept (issue 15: one was
// lost, both writers exiting 0).
func TestConcurrentWritersKeepBothStudies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "C.gpkg")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(path)
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			errs[i] = writeTestStudy(t, s, fmt.Sprintf("study-%d", i))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	if ids := studyIDs(t, path); len(ids) != len(errs) {
		t.Fatalf("studies %v, want %d (one per writer)", ids, len(errs))
	}
}

// TestHelperLockHolder holds the output lock (and a temporary file named
// after its pid, as a writer would) until killed; used as a subprocess.
func TestHelperLockHolder(t *testing.T) {
	path := os.Getenv("GISEMENT_LOCK_HOLD")
	if path == "" {
		t.Skip("helper process for TestLockedOutputAndKill9")
	}
	s := &Store{path: path}
	if _, err := s.lockOutput(context.Background()); err != nil {
		fmt.Println("lock:", err)
		os.Exit(3)
	}
	tmp := fmt.Sprintf("%s.tmp-%d", path, os.Getpid())
	if err := os.WriteFile(tmp, make([]byte, 1<<16), 0o644); err != nil {
		os.Exit(3)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
	os.Exit(0)
}

// A second writer while another process holds the lock fails with
// ErrLocked naming the holder (no silent loss); after the holder is killed
// with SIGKILL the lock is free, the write succeeds, and the dead process's
// temporary file is removed.
func TestLockedOutputAndKill9(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "C.gpkg")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := writeTestStudy(t, s, "first"); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLockHolder$")
	cmd.Env = append(os.Environ(), "GISEMENT_LOCK_HOLD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	buf := make([]byte, 64)
	deadline := time.Now().Add(20 * time.Second)
	got := ""
	for !strings.Contains(got, "locked") && time.Now().Before(deadline) {
		n, err := out.Read(buf)
		got += string(buf[:n])
		if err != nil {
			break
		}
	}
	if !strings.Contains(got, "locked") {
		t.Fatalf("helper did not take the lock: %q", got)
	}

	s.SetLockWait(200 * time.Millisecond)
	t0 := time.Now()
	err = writeTestStudy(t, s, "second")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprint(cmd.Process.Pid)) {
		t.Fatalf("write while locked: %v; want ErrLocked naming process %d", err, cmd.Process.Pid)
	}
	if d := time.Since(t0); d < 200*time.Millisecond || d > 5*time.Second {
		t.Errorf("waited %s, want about the lock wait (200ms)", d)
	}
	if ids := studyIDs(t, path); len(ids) != 1 {
		t.Fatalf("studies %v after the refused write", ids)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	stale := fmt.Sprintf("%s.tmp-%d", path, cmd.Process.Pid)
	if _, err := os.Stat(stale); err != nil {
		t.Fatalf("the killed writer's temporary file should exist before the next write: %v", err)
	}
	if err := writeTestStudy(t, s, "second"); err != nil {
		t.Fatalf("write after the holder was killed: %v", err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale %s not removed: %v", stale, err)
	}
	if ids := studyIDs(t, path); len(ids) != 2 {
		t.Errorf("studies %v, want first and second", ids)
	}
}

// A temporary file of a live process is kept; junk names are ignored.
func TestRemoveStaleTempsKeepsLive(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x[1].gpkg") // glob metacharacters in the name
	live := fmt.Sprintf("%s.tmp-%d", path, os.Getppid())
	junk := path + ".tmp-abc"
	dead := path + ".tmp-999999999" // above Linux's pid_max: no such process
	for _, f := range []string{live, junk, dead} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed := removeStaleTemps(path)
	if len(removed) != 1 || removed[0] != dead {
		t.Errorf("removed %v, want only %s", removed, dead)
	}
	for _, f := range []string{live, junk} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s removed: %v", f, err)
		}
	}
}

// OpenExisting on a file that is not SQLite (serve --from /etc/passwd) is
// ErrNotGeoPackage (exit 2), not an I/O failure.
func TestOpenNotSQLite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(p, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenExisting(p); !errors.Is(err, ErrNotGeoPackage) {
		t.Errorf("OpenExisting(text file) = %v, want ErrNotGeoPackage", err)
	}
	var _ data.Store = (*Store)(nil)
}
