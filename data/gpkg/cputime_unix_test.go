//go:build unix

package gpkg

import (
	"syscall"
	"time"
)

// cpuTime returns the user + system CPU time of the process so far (the
// benchmarks report it beside the wall time, which the shared machine
// makes noisy).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
