package study

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/gisement/gisement/data/gpkg"
)

// TestStreamMatchesRun runs the sample one-shot (Run + Layers +
// WriteStudy) and streamed in chunks of 1,000 buildings (RunStream on a
// GeoPackage ChunkStore), and compares every row of every layer value by
// value, and the study totals.
func TestStreamMatchesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("whole sample study twice")
	}
	r := sampleStudy(t) // one-shot, quantile lists in memory
	// The streamed finish spills its quantile lists beyond 500 values (the
	// sample has some 8,000 buildings and 20,000 roof planes): the exact
	// quantiles from the files must equal the in-memory ones.
	defer func(b int) { mergeBudget = b }(mergeBudget)
	mergeBudget = 500
	before := mergeSpilled.Load()
	p := compareStreamed(t, r, sampleOptions(t), 1000,
		[]string{LayerBuildings, LayerParcels, LayerRoofPlanes, LayerCommunes})
	if len(p.Chunks) < 8 {
		t.Fatalf("%d chunks, want ≥ 8", len(p.Chunks))
	}
	if n := mergeSpilled.Load() - before; n < 10_000 {
		t.Errorf("streamed finish spilled %d quantile values, want the lists on disk", n)
	} else {
		t.Logf("streamed finish: %d quantile values spilled", n)
	}
}

// TestStreamMatchesRunZones: the same with the SYNTHETIC zones and car
// parks of TestZonesCarParksAndArea and a study area (clip).
func TestStreamMatchesRunZones(t *testing.T) {
	if testing.Short() {
		t.Skip("study run skipped in -short mode")
	}
	o := zonesOptions(t, "zones-stream")
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	p := compareStreamed(t, r, o, 300, []string{LayerBuildings, LayerParcels, LayerRoofPlanes, LayerCommunes, LayerZones, LayerCarParks})
	if len(p.Chunks) < 3 {
		t.Errorf("%d chunks, want several", len(p.Chunks))
	}
}

// compareStreamed writes the one-shot result r (Layers + WriteStudy) and
// the streaming study of o (RunStream, chunks of chunk buildings) into two
// GeoPackages and compares every row of the layers, and the summaries.
func compareStreamed(t *testing.T, r *Result, o Options, chunk int, layerNames []string) *Plan {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, layers, err := Layers(r)
	if err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(dir, "one.gpkg")
	s1, err := gpkg.Open(one)
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.WriteStudy(ctx, st, layers); err != nil {
		t.Fatal(err)
	}
	s1.Close()

	streamed := filepath.Join(dir, "stream.gpkg")
	s2, err := gpkg.Open(streamed)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	p, err := RunStream(ctx, o, StreamOptions{ChunkBuildings: chunk, TempDir: dir}, s2)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d chunks, halo %.0f m (largest building extent %.0f m); records staged %d for %d buildings + %d parcels",
		len(p.Chunks), p.HaloM, p.MaxExtentM, sumRecords(p), p.Buildings, p.Parcels)
	if p.StudyID != r.ID {
		t.Fatalf("study id %q, one-shot %q", p.StudyID, r.ID)
	}
	for _, l := range layerNames {
		compareLayer(t, one, streamed, l, r.ID)
	}
	got, err := s2.Study(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layerNames {
		if got.Counts[l] == 0 {
			t.Errorf("streamed study counts no %s", l)
		}
	}
	compareSummary(t, st.Summary, got.Summary)
	return p
}

func sumRecords(p *Plan) int {
	n := 0
	for _, c := range p.Chunks {
		n += c.Records
	}
	return n
}

// compareLayer compares the rows of layer in the two files by key.
func compareLayer(t *testing.T, a, b, layer, study string) {
	t.Helper()
	ra, cols := readRows(t, a, layer, study)
	rb, colsB := readRows(t, b, layer, study)
	if fmt.Sprint(cols) != fmt.Sprint(colsB) {
		t.Fatalf("%s: columns differ:\n%v\n%v", layer, cols, colsB)
	}
	if len(ra) != len(rb) {
		t.Errorf("%s: %d rows one-shot, %d streamed", layer, len(ra), len(rb))
	}
	exact, close, bad := 0, 0, 0
	for k, va := range ra {
		vb, ok := rb[k]
		if !ok {
			if bad++; bad <= 10 {
				t.Errorf("%s %s: missing from the streamed study", layer, k)
			}
			continue
		}
		for i := range va {
			switch eq := sameValue(va[i], vb[i]); eq {
			case 0:
				exact++
			case 1:
				close++
			default:
				if bad++; bad <= 10 {
					t.Errorf("%s %s column %s: one-shot %v, streamed %v", layer, k, cols[i], show(va[i]), show(vb[i]))
				}
			}
		}
	}
	t.Logf("%s: %d rows, %d values identical, %d within 1e-9 relative, %d different", layer, len(ra), exact, close, bad)
}

func show(v any) any {
	if b, ok := v.([]byte); ok {
		if len(b) > 40 {
			return fmt.Sprintf("%d bytes", len(b))
		}
		return string(b)
	}
	return v
}

// sameValue: 0 identical, 1 floats within 1e-9 relative, 2 different.
func sameValue(a, b any) int {
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		if ok && bytes.Equal(x, y) {
			return 0
		}
		return 2
	case float64:
		y, ok := b.(float64)
		if !ok {
			return 2
		}
		if x == y {
			return 0
		}
		if math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y)) {
			return 1
		}
		return 2
	}
	if a == b {
		return 0
	}
	return 2
}

// readRows reads a layer's rows of study, keyed by the layer key (the
// second data column after fid, geom, study_id), without fid.
func readRows(t *testing.T, path, layer, study string) (map[string][]any, []string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(fmt.Sprintf(`SELECT * FROM "%s" WHERE study_id = ?`, layer), study)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string][]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if s, ok := v.(string); ok {
				vals[i] = []byte(s)
			}
		}
		key := fmt.Sprint(show(vals[3]))
		out[key] = vals[1:] // drop fid
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out, cols[1:]
}

// compareSummary compares the totals of the two summaries (to rounding).
func compareSummary(t *testing.T, a, b []byte) {
	t.Helper()
	var sa, sb Summary
	if err := jsonUnmarshal(a, &sa); err != nil {
		t.Fatal(err)
	}
	if err := jsonUnmarshal(b, &sb); err != nil {
		t.Fatal(err)
	}
	fa, fb := flatten(sa.Totals), flatten(sb.Totals)
	var keys []string
	for k := range fa {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x, y := fa[k], fb[k]
		if x != y && math.Abs(x-y) > 1e-9*math.Max(math.Abs(x), math.Abs(y)) {
			t.Errorf("totals %s: one-shot %v, streamed %v", k, x, y)
		}
	}
	if fmt.Sprint(sa.Communes) != fmt.Sprint(sb.Communes) {
		t.Errorf("commune assignment: one-shot %+v, streamed %+v", *sa.Communes, *sb.Communes)
	}
	if fmt.Sprint(sa.Assignment) != fmt.Sprint(sb.Assignment) {
		t.Errorf("parcel assignment: one-shot %v, streamed %v", sa.Assignment, sb.Assignment)
	}
	if fmt.Sprint(sa.Warnings) != fmt.Sprint(sb.Warnings) {
		t.Errorf("warnings:\none-shot %q\nstreamed %q", sa.Warnings, sb.Warnings)
	}
	if fmt.Sprint(sa.Heat) != fmt.Sprint(sb.Heat) {
		t.Errorf("heat summary:\none-shot %+v\nstreamed %+v", sa.Heat, sb.Heat)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// flatten returns the numeric fields of v (a struct) by name.
func flatten(v any) map[string]float64 {
	out := map[string]float64{}
	rv := reflect.ValueOf(v)
	for i := 0; i < rv.NumField(); i++ {
		switch f := rv.Field(i); f.Kind() {
		case reflect.Int:
			out[rv.Type().Field(i).Name] = float64(f.Int())
		case reflect.Float64:
			out[rv.Type().Field(i).Name] = f.Float()
		}
	}
	return out
}

// The plan survives JSON (workers on other machines decode it), and a
// chunk run twice — with the plan and with its decoded copy, as a retried
// job would — returns the same partial aggregate and rows.
func TestPlanJSONAndRetry(t *testing.T) {
	if testing.Short() {
		t.Skip("part of the sample study")
	}
	ctx := context.Background()
	st, err := NewFileStage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o := sampleOptions(t)
	o.Cache, o.MonteCarloDraws = &Cache{}, 50
	o.AreaWGS84 = lonLatBox(0.7150, 45.1800, 0.7280, 45.1880) // ≈ 1,900 buildings
	p, err := PlanStudy(ctx, o, StreamOptions{ChunkBuildings: 500, Stage: st})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Plan
	if err := json.Unmarshal(js, &q); err != nil {
		t.Fatal(err)
	}
	t.Logf("plan: %d chunks, %d bytes of JSON, %d parcel ids carried", len(p.Chunks), len(js), len(p.ParcelIDs))
	k := len(p.Chunks) / 2
	pa, la, err := RunChunk(ctx, o, p, k, st)
	if err != nil {
		t.Fatal(err)
	}
	pb, lb, err := RunChunk(ctx, o, &q, k, st)
	if err != nil {
		t.Fatal(err)
	}
	var ca, cb chunkPartial
	if err := json.Unmarshal(pa, &ca); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(pb, &cb); err != nil {
		t.Fatal(err)
	}
	ca.Stages, cb.Stages = nil, nil // wall times
	if !reflect.DeepEqual(ca, cb) {
		t.Error("partials of the same chunk differ between the plan and its JSON copy")
	}
	if len(la) != len(lb) {
		t.Fatalf("%d layers, then %d", len(la), len(lb))
	}
	for i := range la {
		var ra, rb []string
		for f, err := range la[i].Features {
			if err != nil {
				t.Fatal(err)
			}
			ra = append(ra, fmt.Sprint(f.Values...))
		}
		for f, err := range lb[i].Features {
			if err != nil {
				t.Fatal(err)
			}
			rb = append(rb, fmt.Sprint(f.Values...))
		}
		if len(ra) == 0 || !reflect.DeepEqual(ra, rb) {
			t.Errorf("layer %s: %d rows, then %d, or different values", la[i].Layer.Name, len(ra), len(rb))
		}
	}
}
