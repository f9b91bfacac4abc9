package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
)

// ChunkOpener returns an empty chunk store for one subtest.
type ChunkOpener func(t *testing.T) data.ChunkStore

// RunChunks is the conformance suite of data.ChunkStore: the synthetic
// buildings written in 4 chunks, one of them retried with other values,
// must give the same study as one WriteStudy of the final rows (counts,
// sums, spatial summary), invisible until FinishStudy; partials come back
// by chunk, each once; an earlier study of the store is untouched; a
// finished study takes no more chunks; BeginStudy again replaces it; a key
// written by two chunks is refused (by WriteChunk or, at the latest, by
// FinishStudy) and the study finishes once the chunk is rewritten.
func RunChunks(t *testing.T, open ChunkOpener) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	bld := Buildings(NBuildings, 42)
	const chunks = 4
	part := func(k int, edit bool) []data.LayerData {
		var fs []data.Feature
		for i := k; i < len(bld); i += chunks {
			f := bld[i]
			if edit {
				f.Values = append([]any(nil), f.Values...)
				f.Values[3] = int64(99) // n_planes of the first attempt
			}
			fs = append(fs, f)
		}
		return []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(fs)}}
	}
	write := func(t *testing.T, s data.ChunkStore, id string) {
		t.Helper()
		if err := s.BeginStudy(ctx, Study(id, t0), chunks); err != nil {
			t.Fatal(err)
		}
		for k := range chunks {
			if err := s.WriteChunk(ctx, id, k, fmt.Appendf(nil, `{"chunk":%d,"attempt":1}`, k), part(k, k == 2)); err != nil {
				t.Fatal(err)
			}
		}
		// Chunk 2 again (a retried job): its rows replace the first attempt's.
		if err := s.WriteChunk(ctx, id, 2, []byte(`{"chunk":2,"attempt":2}`), part(2, false)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("chunks", func(t *testing.T) {
		s := open(t)
		_, _, layers := Input()
		if err := s.WriteStudy(ctx, Study("one-shot", t0), layers); err != nil {
			t.Fatal(err)
		}
		write(t, s, "chunked")
		if _, err := s.Study(ctx, "chunked"); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("running study visible: Study = %v, want ErrNotFound", err)
		}
		var got []string
		for p, err := range s.ChunkPartials(ctx, "chunked") {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%d:%s", p.Chunk, p.Partial))
		}
		want := `[0:{"chunk":0,"attempt":1} 1:{"chunk":1,"attempt":1} 2:{"chunk":2,"attempt":2} 3:{"chunk":3,"attempt":1}]`
		if fmt.Sprint(got) != want {
			t.Errorf("partials %v, want %s", got, want)
		}
		if err := s.FinishStudy(ctx, Study("chunked", t0), nil); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "chunked", t0, map[string]int64{"buildings": NBuildings})
		checkStudy(t, s, "one-shot", t0, map[string]int64{"buildings": NBuildings, "sites": NSites})
		cols := []string{"pv_kwh_yr", "roof_area_m2", "n_planes"}
		for _, within := range []orb.Geometry{nil, Zone()} {
			a, err := s.Summary(ctx, "chunked", "buildings", within, cols)
			if err != nil {
				t.Fatal(err)
			}
			b, err := s.Summary(ctx, "one-shot", "buildings", within, cols)
			if err != nil {
				t.Fatal(err)
			}
			same := a.Count == b.Count && len(a.Sums) == len(b.Sums)
			for k, v := range b.Sums { // to rounding: rows are summed in another order
				same = same && math.Abs(a.Sums[k]-v) <= 1e-12*math.Abs(v)
			}
			if !same {
				t.Errorf("within %v: chunked %+v, one-shot %+v", within != nil, a, b)
			}
		}
		if err := s.WriteChunk(ctx, "chunked", 0, []byte(`{}`), part(0, false)); err == nil {
			t.Error("WriteChunk after FinishStudy succeeded")
		}
	})

	t.Run("duplicate-key", func(t *testing.T) {
		// A key written by two chunks (a building routed to both) is refused
		// by the second WriteChunk or at the latest by FinishStudy; the study
		// stays invisible and is finished once the chunk is rewritten.
		s := open(t)
		if err := s.BeginStudy(ctx, Study("dup", t0), 2); err != nil {
			t.Fatal(err)
		}
		one := []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bld[:10])}}
		if err := s.WriteChunk(ctx, "dup", 0, []byte(`{}`), one); err != nil {
			t.Fatal(err)
		}
		twice := append([]data.Feature(nil), bld[10:20]...)
		twice[5] = bld[3]
		err := s.WriteChunk(ctx, "dup", 1, []byte(`{}`), []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(twice)}})
		if err == nil {
			err = s.FinishStudy(ctx, Study("dup", t0), nil)
		}
		if err == nil {
			t.Fatal("key written by two chunks accepted")
		}
		if _, err := s.Study(ctx, "dup"); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("study with a duplicated key visible: Study = %v, want ErrNotFound", err)
		}
		if err := s.WriteChunk(ctx, "dup", 1, []byte(`{}`), []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bld[10:20])}}); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishStudy(ctx, Study("dup", t0), nil); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "dup", t0, map[string]int64{"buildings": 20})
	})

	t.Run("restart", func(t *testing.T) {
		s := open(t)
		write(t, s, "again")
		if err := s.FinishStudy(ctx, Study("again", t0), nil); err != nil {
			t.Fatal(err)
		}
		// BeginStudy on a finished study replaces it (rows and partials).
		if err := s.BeginStudy(ctx, Study("again", t0), 2); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := range s.ChunkPartials(ctx, "again") {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 0 {
			t.Errorf("%d partials after BeginStudy, want 0", n)
		}
		if err := s.WriteChunk(ctx, "again", 0, []byte(`{}`), part(0, false)); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishStudy(ctx, Study("again", t0), nil); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "again", t0, map[string]int64{"buildings": NBuildings / chunks})
	})
}
