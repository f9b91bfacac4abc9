package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/model/study"
)

// `gisement study --stream --chunk-buildings 2000` on the embedded sample
// (irradiance scaled by place, commune outline) gives the totals and
// summary of the one-shot run (both with --draws 50, to keep the test
// short).
func TestStudyStreamSample(t *testing.T) {
	if testing.Short() {
		t.Skip("two sample studies")
	}
	dir := t.TempDir()
	run := func(stream bool) map[string]any {
		var stdout, stderr bytes.Buffer
		o := studyOptions{out: filepath.Join(dir, "one.gpkg"), json: true, quiet: true, chunkBuildings: 2000, stream: stream, draws: 50}
		if stream {
			o.out = filepath.Join(dir, "stream.gpkg")
		}
		if err := runStudy(context.Background(), o, &stdout, &stderr); err != nil {
			t.Fatalf("runStudy(stream %t): %v\n%s", stream, err, stderr.String())
		}
		var out map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	one, streamed := run(false), run(true)
	if one["study_id"] != streamed["study_id"] {
		t.Errorf("study id %v, streamed %v", one["study_id"], streamed["study_id"])
	}
	ta := one["summary"].(map[string]any)["totals"].(map[string]any)
	tb := streamed["summary"].(map[string]any)["totals"].(map[string]any)
	for k, va := range ta {
		x, y := va.(float64), tb[k].(float64)
		if x != y && math.Abs(x-y) > 1e-9*math.Max(math.Abs(x), math.Abs(y)) {
			t.Errorf("totals %s: one-shot %v, streamed %v", k, x, y)
		}
	}
	for _, k := range []string{"weather", "weather_scale", "place_scaling", "loads", "communes", "warnings", "heat"} {
		a, b := one["summary"].(map[string]any)[k], streamed["summary"].(map[string]any)[k]
		if !reflect.DeepEqual(a, b) {
			t.Errorf("summary %s: one-shot %v\nstreamed %v", k, a, b)
		}
	}
	t.Logf("one-shot %.1f s, %.0f MB; streamed %.1f s, %.0f MB (same process)", one["elapsed_s"], one["peak_rss_mb"], streamed["elapsed_s"], streamed["peak_rss_mb"])
}

// TestPrintStagesSummed: the stage table of a streamed study says when its
// summed chunk stages exceed the wall time, and only then.
func TestPrintStagesSummed(t *testing.T) {
	stages := []study.StageTime{{Name: "plan: scan inputs", Seconds: 1}, {Name: "chunk: load", Seconds: 2}, {Name: "roof planes and horizons", Seconds: 6}}
	var b strings.Builder
	printStages(&b, stages, 5*time.Second, 100)
	if !strings.Contains(b.String(), "add up to more than the total") {
		t.Errorf("streamed stages summing to 9 s over 5 s without the note:\n%s", b.String())
	}
	b.Reset()
	printStages(&b, stages, 10*time.Second, 100)
	if strings.Contains(b.String(), "more than the total") {
		t.Errorf("note printed although the stages sum below the total:\n%s", b.String())
	}
	b.Reset()
	printStages(&b, []study.StageTime{{Name: "load territory", Seconds: 9}}, 5*time.Second, 100)
	if strings.Contains(b.String(), "more than the total") {
		t.Errorf("note printed for a one-shot study:\n%s", b.String())
	}
}
