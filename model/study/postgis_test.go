package study

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/internal/pgtest"
)

// pgSchemaURL returns a throw-away schema's URL in the GISEMENT_TEST_PG
// database (internal/pgtest), or skips the test when it is not set.
func pgSchemaURL(t *testing.T) string { return pgtest.SchemaURL(t, "study_test") }

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
