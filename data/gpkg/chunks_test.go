package gpkg

import (
	"path/filepath"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
)

func TestChunkConformance(t *testing.T) {
	storetest.RunChunks(t, func(t *testing.T) data.ChunkStore {
		s, err := Open(filepath.Join(t.TempDir(), "results.gpkg"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
