package study

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/postgis"
)

// pgSchemaURL creates a throw-away schema in the GISEMENT_TEST_PG database
// and returns a URL whose search_path points at it (plus public, for
// PostGIS); it skips the test when GISEMENT_TEST_PG is not set.
func pgSchemaURL(t *testing.T) string {
	url := os.Getenv("GISEMENT_TEST_PG")
	if url == "" {
		t.Skip(`GISEMENT_TEST_PG not set (eval "$(bash .ci/postgis.sh)" starts a throw-away PostGIS); skipping PostGIS integration test`)
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	name := fmt.Sprintf("study_test_%d", os.Getpid())
	if _, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE; CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), url); err == nil {
			c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+name+" CASCADE")
			c.Close(context.Background())
		}
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + name + ",public"
}

// The sample study written to PostGIS twice reads back once, with the same
// counts and sums as in memory and as in a GeoPackage.
func TestSamplePostGIS(t *testing.T) {
	url := pgSchemaURL(t)
	r := sampleStudy(t)
	ctx := context.Background()
	s, err := postgis.Open(ctx, url, postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 2 {
		st, layers, err := Layers(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WriteStudy(ctx, st, layers); err != nil {
			t.Fatalf("write %d: %v", i+1, err)
		}
	}
	studies, err := s.Studies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(studies) != 1 || studies[0].ID != r.ID {
		t.Fatalf("after two writes of %s: studies %+v", r.ID, studies)
	}
	pg := storeTotals(t, s, r.ID)
	checkStoredSample(t, pg, r)

	path := filepath.Join(t.TempDir(), "study.gpkg")
	writeGPKG(t, ctx, path, r, "")
	g, err := gpkg.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	gp := storeTotals(t, g, r.ID)
	for layer, want := range gp {
		got := pg[layer]
		if got.Count != want.Count {
			t.Errorf("%s: PostGIS %d features, GeoPackage %d", layer, got.Count, want.Count)
		}
		for col, v := range want.Sums {
			closeRel(t, layer+"."+col+" PostGIS vs GeoPackage", got.Sums[col], v, 1e-9)
		}
		t.Logf("%s: %d features, sums %v", layer, got.Count, got.Sums)
	}
}
