//go:build linux

package api

import (
	"runtime"
	"syscall"
	"testing"
)

// niceOf returns the nice value of the calling thread (the raw getpriority
// syscall returns 20 − nice).
func niceOf(t *testing.T) int {
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

func TestRunNiced(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := niceOf(t)
	inside := -1
	if err := runNiced(func() error { inside = niceOf(t); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := min(19, max(before, heavyNice)); inside != want {
		t.Errorf("nice inside %d, want %d", inside, want)
	}
	if after := niceOf(t); after != before {
		t.Errorf("caller's thread nice changed %d → %d", before, after)
	}
	defer func() {
		if v := recover(); v != "boom" {
			t.Errorf("panic not re-raised: %v", v)
		}
	}()
	_ = runNiced(func() error { panic("boom") })
}
