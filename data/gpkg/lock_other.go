//go:build !unix

package gpkg

import "os"

// Without flock(2) (Windows, Plan 9, wasm) the lock is not taken: gisement
// targets Unix servers; on other systems concurrent writers of one file must
// be avoided by the user (documented in the README).
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) error { return nil }

// processAlive cannot tell on these systems: stale temporary files are kept.
func processAlive(int) bool { return true }
