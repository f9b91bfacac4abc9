package gpkg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Concurrent writers of one GeoPackage. WriteStudy copies the file to
// "<path>.tmp-<pid>", writes the study into the copy and renames it over the
// original. Two processes doing this at once would each rename their own copy
// and the first study written would be lost. WriteStudy therefore holds an
// advisory lock on the sidecar file "<path>.lock" from the copy to the
// rename: a second writer waits for it (up to the store's lock wait, default
// DefaultLockWait) and then copies the file holding the first study, or fails
// with ErrLocked. Readers (gisement serve) never take the lock: they keep
// reading the previous file until the rename.
//
// The lock is flock(2) (Unix): the kernel releases it when the holder exits,
// even on kill -9, so a crashed writer never leaves the output locked. The
// sidecar file itself is left in place (removing it would race with a
// writer that has just opened it).

// ErrLocked is returned by WriteStudy when another process keeps the output
// locked for longer than the store's lock wait.
var ErrLocked = errors.New("gpkg: the output GeoPackage is being written by another process")

// DefaultLockWait is how long WriteStudy waits for another writer of the
// same file before failing with ErrLocked.
const DefaultLockWait = 10 * time.Minute

// lockPoll is the interval between two attempts to take a busy lock.
const lockPoll = 100 * time.Millisecond

// SetLockWait sets how long WriteStudy waits for another writer of the same
// file (0: fail at once with ErrLocked when the file is locked).
func (s *Store) SetLockWait(d time.Duration) {
	s.wmu.Lock()
	s.lockWait = d
	s.lockWaitSet = true
	s.wmu.Unlock()
}

// lockOutput takes the advisory lock of s.path, waiting up to the lock wait
// (or ctx), and returns its release function.
func (s *Store) lockOutput(ctx context.Context) (func(), error) {
	wait := DefaultLockWait
	if s.lockWaitSet {
		wait = s.lockWait
	}
	lp := s.path + ".lock"
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("gpkg: lock %s: %w", lp, err)
	}
	deadline := time.Now().Add(wait)
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("gpkg: lock %s: %w", lp, err)
		}
		if ok {
			break
		}
		if !time.Now().Before(deadline) {
			holder := ""
			if b, err := os.ReadFile(lp); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					holder = fmt.Sprintf(" (process %d)", pid)
				}
			}
			f.Close()
			return nil, fmt.Errorf("%w: %s is locked by another gisement writer%s; waited %s (lock file %s); retry when it has finished",
				ErrLocked, s.path, holder, wait, lp)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(min(lockPoll, time.Until(deadline)+time.Millisecond)):
		}
	}
	// Record the holder for the message of a waiting writer (informative only).
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() {
		_ = unlock(f)
		f.Close()
	}, nil
}

// removeStaleTemps removes the "<path>.tmp-<pid>" files left by writers that
// died (kill -9, power loss) before renaming them: a file whose process no
// longer exists. Files of live processes are kept (they may be writing).
// It returns the files removed.
func removeStaleTemps(path string) []string {
	matches, _ := filepath.Glob(globEscape(path) + ".tmp-*")
	var removed []string
	for _, m := range matches {
		pid, err := strconv.Atoi(m[len(path)+len(".tmp-"):])
		if err != nil || pid <= 0 {
			continue // not ours
		}
		if pid != os.Getpid() && processAlive(pid) {
			continue
		}
		if os.Remove(m) == nil {
			removed = append(removed, m)
		}
	}
	return removed
}

// globEscape escapes the glob metacharacters of a literal path.
func globEscape(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(p)
}
