// Package shareddata locates the project's shared real-data directory
// (../shared/data beside the repository clone) for tests, and skips the test
// with a clear reason when it is absent (e.g. on a fresh clone without it).
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of shared/data, or "" when it cannot be found.
// GISEMENT_SHARED_DATA overrides the search.
func Dir() string {
	if d := os.Getenv("GISEMENT_SHARED_DATA"); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	// Walk up to the module root (the directory holding go.mod), then look
	// for ../shared/data beside it.
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			cand := filepath.Join(filepath.Dir(d), "shared", "data")
			if st, err := os.Stat(cand); err == nil && st.IsDir() {
				return cand
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Path returns the absolute path of rel inside shared/data, or skips the
// test when the shared data (or that file) is absent.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skipf("shared data not found (expected ../shared/data beside the repository, or GISEMENT_SHARED_DATA); skipping test that needs %s", rel)
	}
	p := filepath.Join(d, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data file %s absent: %v", rel, err)
	}
	return p
}
