//go:build unix

package pv

import "syscall"

// processCPUNs returns the user + system CPU time of this process (ns),
// or −1 when it cannot be read.
func processCPUNs() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
