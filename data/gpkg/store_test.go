package gpkg

import (
	"path/filepath"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) data.Store {
		s, err := Open(filepath.Join(t.TempDir(), "results.gpkg"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
