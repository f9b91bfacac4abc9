//go:build !linux

package api

// runNiced runs fn (thread priorities are only lowered on Linux).
func runNiced(fn func() error) error { return fn() }
