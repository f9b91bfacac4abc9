package postgis

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
	"github.com/jackc/pgx/v5"
)

// testURL returns GISEMENT_TEST_PG or skips.
func testURL(t testing.TB) string {
	u := os.Getenv("GISEMENT_TEST_PG")
	if u == "" {
		t.Skip("GISEMENT_TEST_PG not set (eval \"$(bash .ci/postgis.sh)\" starts a throw-away PostGIS); skipping PostGIS integration test")
	}
	return u
}

// freshSchema creates an empty schema for one test and returns a URL whose
// search_path points at it (plus public, for PostGIS).
func freshSchema(t *testing.T, url string) string {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	name := fmt.Sprintf("t_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE; CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+name+" CASCADE")
			c.Close(context.Background())
		}
	})
	sep := "?"
	for _, r := range url {
		if r == '?' {
			sep = "&"
		}
	}
	return url + sep + "search_path=" + name + ",public"
}

func TestConformance(t *testing.T) {
	url := testURL(t)
	storetest.Run(t, func(t *testing.T) data.Store {
		s, err := Open(context.Background(), freshSchema(t, url), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestChunkConformance(t *testing.T) {
	url := testURL(t)
	storetest.RunChunks(t, func(t *testing.T) data.ChunkStore {
		s, err := Open(context.Background(), freshSchema(t, url), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
