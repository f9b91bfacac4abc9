package gpkg

import (
	"context"
	"database/sql"
	"errors"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

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

// TestChunkKeyIndex checks the deferred (study_id, key) index of a chunked
// study: absent while the study runs (so that chunk rows are appended
// without random index updates), rebuilt by FinishStudy, which refuses a
// key written by two chunks with a DuplicateKeyError naming them; the
// study of an earlier WriteStudy in the same layer keeps its rows.
func TestChunkKeyIndex(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "results.gpkg")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bld := storetest.Buildings(30, 42)
	layer := func(fs []data.Feature) []data.LayerData {
		return []data.LayerData{{Layer: storetest.BuildingsLayer, Features: data.SliceFeatures(fs)}}
	}
	if err := s.WriteStudy(ctx, storetest.Study("one-shot", t0), layer(bld)); err != nil {
		t.Fatal(err)
	}
	hasIndex := func() bool {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_buildings_key' AND sql LIKE 'CREATE UNIQUE INDEX%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	if !hasIndex() {
		t.Fatal("no key index after WriteStudy")
	}
	if err := s.BeginStudy(ctx, storetest.Study("chunked", t0), 3); err != nil {
		t.Fatal(err)
	}
	for k := range 3 {
		fs := append([]data.Feature(nil), bld[10*k:10*k+10]...)
		if k == 2 {
			fs[4] = bld[13] // also in chunk 1
		}
		if err := s.WriteChunk(ctx, "chunked", k, []byte(`{}`), layer(fs)); err != nil {
			t.Fatalf("chunk %d: %v", k, err)
		}
	}
	if hasIndex() {
		t.Error("key index kept while the chunked study runs")
	}
	err = s.FinishStudy(ctx, storetest.Study("chunked", t0), nil)
	var dup *DuplicateKeyError
	if !errors.As(err, &dup) || !errors.Is(err, data.ErrInvalidValue) {
		t.Fatalf("FinishStudy = %v, want a DuplicateKeyError", err)
	}
	if dup.Layer != "buildings" || dup.Study != "chunked" || dup.Key != bld[13].Values[0] || !reflect.DeepEqual(dup.Chunks, []int{1, 2}) {
		t.Errorf("duplicate %+v, want key %v of study chunked in chunks [1 2]", dup, bld[13].Values[0])
	}
	if err := s.WriteChunk(ctx, "chunked", 2, []byte(`{}`), layer(bld[20:])); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishStudy(ctx, storetest.Study("chunked", t0), nil); err != nil {
		t.Fatal(err)
	}
	if !hasIndex() {
		t.Error("no key index after FinishStudy")
	}
	for _, id := range []string{"one-shot", "chunked"} {
		st, err := s.Study(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Counts["buildings"] != 30 {
			t.Errorf("study %s: %d buildings, want 30", id, st.Counts["buildings"])
		}
		f, err := s.Get(ctx, id, "buildings", bld[13].Values[0].(string))
		if err != nil || f.Values[0] != bld[13].Values[0] {
			t.Errorf("study %s: feature %v = %+v, %v", id, bld[13].Values[0], f, err)
		}
	}
	// The finished file is a valid SQLite database and GeoPackage.
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`PRAGMA integrity_check`, `SELECT rtreecheck('rtree_buildings_geom')`} {
		var res string
		if err := db.QueryRow(q).Scan(&res); err != nil || res != "ok" {
			t.Errorf("%s: %q, %v", q, res, err)
		}
	}
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo (Debian gdal-bin) not on PATH; skipping the GDAL check of the chunked file")
	}
	out, err := exec.Command(ogrinfo, "-al", "-so", path).CombinedOutput()
	if text := string(out); err != nil || strings.Contains(text, "Warning") || strings.Contains(text, "ERROR") || !strings.Contains(text, "Feature Count: 60") {
		t.Errorf("ogrinfo: %v\n%s", err, text)
	}
}

// TestChunkPanicRollsBack: a feature source that panics mid-chunk (the
// panic reaches the caller) leaves nothing of the chunk, neither rows nor
// partial, and the store takes the chunk again.
func TestChunkPanicRollsBack(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	s, err := Open(filepath.Join(t.TempDir(), "results.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bld := storetest.Buildings(2000, 42)
	if err := s.BeginStudy(ctx, storetest.Study("p", t0), 1); err != nil {
		t.Fatal(err)
	}
	panicking := func(yield func(data.Feature, error) bool) {
		for i, f := range bld {
			if i == 1500 { // after several batches were inserted
				panic("boom")
			}
			if !yield(f, nil) {
				return
			}
		}
	}
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want the source's panic", p)
			}
		}()
		s.WriteChunk(ctx, "p", 0, []byte(`{"attempt":1}`), []data.LayerData{{Layer: storetest.BuildingsLayer, Features: panicking}})
	}()
	for p, err := range s.ChunkPartials(ctx, "p") {
		t.Errorf("partial %+v (%v) left by the panicking chunk", p, err)
	}
	if err := s.WriteChunk(ctx, "p", 0, []byte(`{"attempt":2}`), []data.LayerData{{Layer: storetest.BuildingsLayer, Features: data.SliceFeatures(bld)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishStudy(ctx, storetest.Study("p", t0), nil); err != nil {
		t.Fatal(err)
	}
	st, err := s.Study(ctx, "p")
	if err != nil || st.Counts["buildings"] != 2000 {
		t.Fatalf("study %+v, %v: want 2000 buildings", st.Counts, err)
	}
}
