//go:build vectornogpkg

package vector

import "fmt"

// The vectornogpkg build tag leaves out the GeoPackage reader and its SQLite
// dependency. It exists for fuzzing: go test -fuzz instruments every
// dependency, and the transpiled SQLite makes coverage guidance so slow
// that the fuzzers run a handful of inputs per minute.
func openGPKG(r *Reader, path string, o OpenOptions) error {
	return fmt.Errorf("%s: GeoPackage support left out of this build (tag vectornogpkg): %w", path, ErrUnsupportedFormat)
}
