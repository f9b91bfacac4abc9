package gpkg_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// A chunked study: a retried chunk replaces its rows (no duplicate), the
// study is invisible until FinishStudy, the partials come back by chunk,
// the R-tree finds the rows, and an earlier one-shot study of the file is
// untouched.
func TestChunkStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chunks.gpkg")
	s, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	layer := data.Layer{Name: "parcels", GeomType: data.GeomMultiPolygon, SRID: data.SRIDLambert93, Key: "parcel_id",
		Columns: []data.Column{{Name: "parcel_id", Type: data.Text}, {Name: "pv_kwp", Type: data.Real, Unit: "kWp"}}}
	square := func(x, y float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, y}, {x + 20, y}, {x + 20, y + 20}, {x, y + 20}, {x, y}}}}
	}
	rows := func(chunk, n int, kwp float64) []data.LayerData {
		var fs []data.Feature
		for i := range n {
			fs = append(fs, data.Feature{Geom: square(520000+float64(100*chunk), 6457000+float64(30*i)), Values: []any{fmt.Sprintf("c%d-%d", chunk, i), kwp}})
		}
		return []data.LayerData{{Layer: layer, Features: data.SliceFeatures(fs)}}
	}
	// An earlier one-shot study in the same file.
	if err := s.WriteStudy(ctx, data.Study{ID: "old", CreatedAt: time.Unix(0, 0)}, rows(9, 2, 1)); err != nil {
		t.Fatal(err)
	}
	st := data.Study{ID: "chunked", Name: "chunked", CreatedAt: time.Unix(0, 0)}
	if err := s.BeginStudy(ctx, st, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteChunk(ctx, "chunked", 0, []byte(`{"n":3}`), rows(0, 3, 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteChunk(ctx, "chunked", 1, []byte(`{"n":2}`), rows(1, 2, 1)); err != nil {
		t.Fatal(err)
	}
	// Retry of chunk 0 with other values: replaces, never duplicates.
	if err := s.WriteChunk(ctx, "chunked", 0, []byte(`{"n":3,"retry":true}`), rows(0, 3, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Study(ctx, "chunked"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("running study visible: %v", err)
	}
	var got []string
	for p, err := range s.ChunkPartials(ctx, "chunked") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%s", p.Chunk, p.Partial))
	}
	if want := `[0:{"n":3,"retry":true} 1:{"n":2}]`; fmt.Sprint(got) != want {
		t.Errorf("partials %v, want %s", got, want)
	}
	if err := s.FinishStudy(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	done, err := s.Study(ctx, "chunked")
	if err != nil {
		t.Fatal(err)
	}
	if done.Counts["parcels"] != 5 {
		t.Errorf("%d parcels, want 5 (3 + 2, the retry replacing)", done.Counts["parcels"])
	}
	sum, err := s.Summary(ctx, "chunked", "parcels", nil, []string{"pv_kwp"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Count != 5 || sum.Sums["pv_kwp"] != 3*2+2*1 {
		t.Errorf("summary %+v, want 5 rows and 8 kWp (the retried chunk's values)", sum)
	}
	// Spatial query through the rebuilt R-tree: chunk 1's column of squares.
	within := orb.Polygon{{{0.67, 45.1}, {0.8, 45.1}, {0.8, 45.3}, {0.67, 45.3}, {0.67, 45.1}}}
	if w, err := s.Summary(ctx, "chunked", "parcels", within, nil); err != nil || w.Count == 0 {
		t.Errorf("spatial summary %+v, %v", w, err)
	}
	old, err := s.Study(ctx, "old")
	if err != nil || old.Counts["parcels"] != 2 {
		t.Errorf("one-shot study after the chunked one: %+v, %v", old.Counts, err)
	}
	if err := s.WriteChunk(ctx, "chunked", 0, []byte(`{}`), nil); err == nil {
		t.Error("WriteChunk after FinishStudy succeeded")
	}
}
