package postgis

import (
	"context"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
	"github.com/gisement/gisement/internal/pgtest"
)

// openTest opens the store on a throw-away schema (skips without
// GISEMENT_TEST_PG) and closes it at the end of the test.
func openTest(t *testing.T, opt Options) (*Store, string) {
	url := pgtest.SchemaURL(t, "t")
	s, err := Open(context.Background(), url, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, url
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) data.Store {
		s, _ := openTest(t, Options{})
		return s
	})
}

func TestChunkConformance(t *testing.T) {
	open := func(t *testing.T) data.ChunkStore {
		s, _ := openTest(t, Options{})
		return s
	}
	storetest.RunChunks(t, open)
	storetest.RunChunksDistributed(t, open)
}
