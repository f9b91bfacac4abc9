//go:build !unix

package pv

// processCPUNs is not available here (−1: not reported).
func processCPUNs() int64 { return -1 }
