//go:build linux

package api

import (
	"runtime"
	"syscall"
)

// heavyNice is the scheduling niceness (Linux nice value, 0–19; higher =
// lower priority) of the OS thread computing a heavy request. When the
// cores are contended (a heavy request on one core, lookups and their
// clients on the other), the kernel then runs the lookups first; with idle
// cores the heavy request runs at full speed.
const heavyNice = 10

// runNiced runs fn on a fresh OS thread of lower priority and waits for it.
// Linux applies nice values per thread (setpriority(2) with a thread id);
// the goroutine stays locked to its thread and exits without unlocking it,
// so the runtime discards the thread and no other goroutine ever inherits
// the lower priority. A panic in fn is re-raised in the caller's goroutine
// (where echo's Recover middleware catches it).
func runNiced(fn func() error) error {
	type result struct {
		err      error
		panicked bool
		val      any
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		tid := syscall.Gettid()
		// The raw getpriority(2) value is 20 − nice; never raise the priority.
		if p, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid); err == nil && 20-p < heavyNice {
			_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, heavyNice)
		}
		defer func() {
			if v := recover(); v != nil {
				done <- result{panicked: true, val: v}
			}
		}()
		done <- result{err: fn()}
	}()
	r := <-done
	if r.panicked {
		panic(r.val)
	}
	return r.err
}
