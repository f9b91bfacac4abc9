package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
)

// DistChunks is the number of chunks of RunChunksDistributed's study:
// building i belongs to chunk i % DistChunks.
const DistChunks = 4

// distChunkBuildings returns the buildings of chunk c.
func distChunkBuildings(bld []data.Feature, c int) []data.Feature {
	var out []data.Feature
	for i := c; i < len(bld); i += DistChunks {
		out = append(out, bld[i])
	}
	return out
}

func distPartial(c, n int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"chunk":%d,"buildings":%d}`, c, n))
}

// RunChunksDistributed completes RunChunks with what a distributed run
// (package cluster: several workers, retried jobs) relies on: a retried
// chunk replaces its rows in every layer, not only those it writes again;
// a chunk repeating another chunk's key fails and leaves nothing behind;
// the chunked study answers every conformance query as the same study
// written at once, and the latest complete study, not the unfinished one,
// is the default; "refuses-out-of-range" (a chunk index outside
// [0, chunks) is an error) and "finish-retried"
// (FinishStudy may run twice: an aggregation job whose worker died after
// the commit).
func RunChunksDistributed(t *testing.T, open ChunkOpener) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

	t.Run("chunked-equals-whole", func(t *testing.T) {
		s := open(t)
		bld, sites, layers := Input()
		if err := s.WriteStudy(ctx, Study("whole", t0), layers); err != nil {
			t.Fatal(err)
		}
		if err := s.BeginStudy(ctx, Study("c", t0.Add(time.Hour)), DistChunks); err != nil {
			t.Fatal(err)
		}
		write := func(c int, bs, ss []data.Feature) error {
			ls := []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bs)}}
			if ss != nil {
				ls = append(ls, data.LayerData{Layer: SitesLayer, Features: data.SliceFeatures(ss)})
			}
			return s.WriteChunk(ctx, "c", c, distPartial(c, len(bs)), ls)
		}
		// Chunk 1 first written with extra site rows, then retried without
		// them: the retry replaces every row of the first attempt.
		if err := write(1, distChunkBuildings(bld, 1), Sites(10, 99)); err != nil {
			t.Fatal(err)
		}
		for c := range DistChunks - 1 {
			if err := write(c, distChunkBuildings(bld, c), nil); err != nil {
				t.Fatal(err)
			}
		}
		// A chunk repeating a key of another chunk fails and leaves
		// nothing of itself behind.
		dup := append(distChunkBuildings(bld, 3), bld[0])
		if err := write(3, dup, nil); err == nil {
			t.Fatal("WriteChunk with a key already written by chunk 0: no error")
		}
		if _, err := s.Study(ctx, "c"); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("Study(unfinished) error = %v, want ErrNotFound", err)
		}
		if st, err := s.Study(ctx, ""); err != nil || st.ID != "whole" {
			t.Errorf("latest study = %q, %v; want the complete one, not the unfinished one", st.ID, err)
		}
		if err := write(3, distChunkBuildings(bld, 3), nil); err != nil {
			t.Fatal(err)
		}
		var got []data.ChunkPartial
		for p, err := range s.ChunkPartials(ctx, "c") {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p)
		}
		if len(got) != DistChunks {
			t.Fatalf("%d partials, want %d", len(got), DistChunks)
		}
		for c, p := range got {
			if p.Chunk != c || !jsonEq(p.Partial, distPartial(c, len(distChunkBuildings(bld, c)))) {
				t.Errorf("partial %d = %d %s", c, p.Chunk, p.Partial)
			}
		}
		st := Study("c", t0.Add(time.Hour))
		if err := s.FinishStudy(ctx, st, []data.LayerData{{Layer: SitesLayer, Features: data.SliceFeatures(sites)}}); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "c", t0.Add(time.Hour), map[string]int64{"buildings": NBuildings, "sites": NSites})
		for _, layer := range []string{"buildings", "sites"} {
			a, _ := collect(t, s, layer, data.Query{Study: "c", Limit: data.MaxLimit})
			b, _ := collect(t, s, layer, data.Query{Study: "whole", Limit: data.MaxLimit})
			if len(a) == 0 || !reflect.DeepEqual(a, b) {
				t.Errorf("%s: chunked study (%d rows) differs from the study written at once (%d rows)", layer, len(a), len(b))
			}
		}
		for name, q := range Queries() {
			q.Study = "c"
			a, _ := collect(t, s, "buildings", q)
			q.Study = "whole"
			b, _ := collect(t, s, "buildings", q)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("query %s: chunked study differs from the study written at once", name)
			}
		}
		if st, err := s.Study(ctx, ""); err != nil || st.ID != "c" {
			t.Errorf("latest study = %q, %v; want the finished one", st.ID, err)
		}
	})

	// A chunk index outside [0, chunks) is refused.
	t.Run("refuses-out-of-range", func(t *testing.T) {
		s := open(t)
		bld := Buildings(20, 5)
		if err := s.BeginStudy(ctx, Study("c", t0), 2); err != nil {
			t.Fatal(err)
		}
		ls := []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bld[:10])}}
		if err := s.WriteChunk(ctx, "c", 0, distPartial(0, 10), ls); err != nil {
			t.Fatal(err)
		}
		ls = []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bld[10:])}}
		if err := s.WriteChunk(ctx, "c", 2, distPartial(2, 10), ls); err == nil {
			t.Error("WriteChunk(chunk 2 of 2): no error")
		}
		if _, err := s.Study(ctx, "c"); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("Study(unfinished) error = %v, want ErrNotFound", err)
		}
	})

	// FinishStudy may be retried (a distributed aggregation job whose
	// worker died after the commit): it replaces its rows.
	t.Run("finish-retried", func(t *testing.T) {
		s := open(t)
		if err := s.BeginStudy(ctx, Study("c", t0), 1); err != nil {
			t.Fatal(err)
		}
		ls := []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(Buildings(10, 5))}}
		if err := s.WriteChunk(ctx, "c", 0, distPartial(0, 10), ls); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			fin := []data.LayerData{{Layer: SitesLayer, Features: data.SliceFeatures(Sites(NSites, 7))}}
			if err := s.FinishStudy(ctx, Study("c", t0), fin); err != nil {
				t.Fatal(err)
			}
		}
		checkStudy(t, s, "c", t0, map[string]int64{"buildings": 10, "sites": NSites})
	})

	t.Run("begin-replaces", func(t *testing.T) {
		s := open(t)
		bld, _, layers := Input()
		if err := s.WriteStudy(ctx, Study("c", t0), layers); err != nil {
			t.Fatal(err)
		}
		if err := s.BeginStudy(ctx, Study("c", t0), 2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Study(ctx, "c"); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("Study after BeginStudy replaced a complete study: error = %v, want ErrNotFound", err)
		}
		ls := []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bld[:5])}}
		if err := s.WriteChunk(ctx, "c", 0, distPartial(0, 5), ls); err != nil {
			t.Fatal(err)
		}
		if err := s.BeginStudy(ctx, Study("c", t0), 1); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := range s.ChunkPartials(ctx, "c") {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 0 {
			t.Errorf("%d partials after BeginStudy replaced the study, want 0", n)
		}
		ls = []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bld[5:7])}}
		if err := s.WriteChunk(ctx, "c", 0, distPartial(0, 2), ls); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishStudy(ctx, Study("c", t0), nil); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "c", t0, map[string]int64{"buildings": 2})
		if err := s.WriteChunk(ctx, "c", 0, distPartial(0, 2), ls); err == nil {
			t.Error("WriteChunk to a finished study: no error")
		}
		other := BuildingsLayer
		other.Columns = append([]data.Column(nil), other.Columns[:3]...)
		if err := s.BeginStudy(ctx, Study("d", t0), 1); err != nil {
			t.Fatal(err)
		}
		err := s.WriteChunk(ctx, "d", 0, distPartial(0, 0), []data.LayerData{{Layer: other, Features: data.SliceFeatures(nil)}})
		if !errors.Is(err, data.ErrSchemaMismatch) {
			t.Errorf("WriteChunk with another schema of buildings: error = %v, want ErrSchemaMismatch", err)
		}
	})
}
