package web_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data"
)

// chromiumPath returns the headless browser to drive, or skips the test.
// GISEMENT_CHROMIUM overrides the default /usr/bin/chromium (Debian package
// "chromium", installed by .ci/web.sh).
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("GISEMENT_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(p); err != nil {
		t.Skipf("headless browser test skipped: %s not found (install Debian's chromium: bash .ci/web.sh)", p)
	}
	return p
}

// artifactDir is $GISEMENT_ARTIFACTS (created) or a test temp dir.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("GISEMENT_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func browser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(bcancel)
	return bctx
}

// TestBrowserMap opens the web map in headless Chromium over a SYNTHETIC
// store, waits for the parcels to be drawn from the vector tiles, clicks a
// parcel, checks the side panel (id, annual production, 12 monthly bars,
// assumptions), searches another parcel by id, and saves screenshots.
func TestBrowserMap(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	ctx := browser(t, 3*time.Minute)
	ts := newTestSite(t, 12)

	// Open the target, then log the page's console (errors help diagnose a
	// blank map).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`1`)); err != nil {
		t.Fatalf("start %s: %v", chromiumPath(t), err)
	}
	var mu sync.Mutex
	var logs []string
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			mu.Lock()
			logs = append(logs, fmt.Sprintf("console %s: %s", m.Type, m.Text))
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, l := range logs {
			t.Log(l)
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__gisementReady === true`,
		chromedp.WithPollingTimeout(40*time.Second))); err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
		t.Fatalf("map never rendered parcels: %v (status line %q)", err, st)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__gisementMap.queryRenderedFeatures({layers:['parcels-fill']}).length`))
	if err != nil || n == 0 {
		t.Fatalf("rendered parcel features: %d, %v", n, err)
	}
	t.Logf("rendered parcel features: %d", n)
	dir := artifactDir(t)
	shot := func(name string) string {
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
		return p
	}
	shot("webmap-loaded.png")

	// Pick a parcel with a production value, click the screen pixel of its
	// centroid (a real mouse click, projected by MapLibre).
	var id string
	var kwh float64
	var c orb.Point
	for i := 5; i < 12 && id == ""; i++ {
		pid := apitest.ParcelID(i, 6)
		if v, centroid := ts.parcel(t, pid); v != nil {
			id, kwh, c = pid, v.(float64), centroid
		}
	}
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(
		`(() => { const p = window.__gisementMap.project([%f, %f]); const r = window.__gisementMap.getCanvas().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()`, c[0], c[1])))
	if err != nil {
		t.Fatal(err)
	}
	bnds, _ := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`window.__gisementMap.getBounds().toArray().flat()`))
	t.Logf("view %v, clicking parcel %s centroid %v at %v", bnds, id, c, xy)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Poll[string](`(document.getElementById('panel-id')||{}).textContent`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || got != id {
		t.Fatalf("side panel shows %q (%v), want parcel %s clicked at %v", got, err, id, xy)
	}
	cell, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#panel-results [data-col=pv_kwh_yr]').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	// Shown in the unit it reads best in: kWh/an below 1 000, MWh/an with
	// three significant figures above.
	shown, unit := parseFR(cell)
	want := kwh
	switch unit {
	case "kWh/an":
		want = math.Round(kwh)
	case "MWh/an":
		shown *= 1000
	default:
		t.Errorf("panel PV production %q: unit %q, want kWh/an or MWh/an", cell, unit)
	}
	if tol := math.Max(0.5, 0.005*kwh); math.Abs(shown-want) > tol {
		t.Errorf("panel PV production %q (%v kWh/yr), want %.0f kWh/yr", cell, shown, kwh)
	}
	bars, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#panel svg.chart rect.bar').length`))
	if bars != 12 {
		t.Errorf("monthly chart has %d bars, want 12", bars)
	}
	nAssump, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#panel-assumptions tr').length`))
	if nAssump == 0 {
		t.Errorf("no scenario assumption shown in the panel")
	}
	shot("webmap-parcel-panel.png")
	checkFrenchPanel(t, ctx, "parcel panel")

	// The building under the click is one click away: its panel shows its
	// code values (roof type, PV class, height source) in French.
	hasLink, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.getElementById('panel-building')`))
	if !hasLink {
		// Click a building's own centroid (buildings are drawn from zoom 14).
		bxy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const m = window.__gisementMap; const f = m.queryRenderedFeatures({layers:['buildings-fill']})[0]; if (!f) return []; const r = m.getCanvas().getBoundingClientRect(); const c = f.geometry.coordinates.flat(3); const xs = [], ys = []; for (let i = 0; i < c.length; i += 2) { xs.push(c[i]); ys.push(c[i+1]); } const p = m.project([(Math.min(...xs)+Math.max(...xs))/2, (Math.min(...ys)+Math.max(...ys))/2]); return [p.x + r.left, p.y + r.top]; })()`))
		if err != nil || len(bxy) != 2 {
			t.Fatalf("no rendered building to click: %v", err)
		}
		if err := chromedp.Do(ctx, chromedp.MouseClickXY(bxy[0], bxy[1])); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.getElementById('panel-building')`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("parcel panel without a link to the clicked building: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#panel-building`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.querySelector('#panel-results [data-col=roof_type]')`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("building panel without roof type: %v", err)
	}
	roof, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#panel-results [data-col=roof_type]').textContent`))
	if fr, ok := data.CodeLabel(roof, data.French); ok && fr != roof {
		t.Errorf("building roof type shown as the code %q, want « %s »", roof, fr)
	}
	checkFrenchPanel(t, ctx, "building panel")
	shot("webmap-building-panel.png")

	// Legend: class ranges of the indicator, in the unit it reads best in.
	leg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('legend').textContent`))
	if !strings.Contains(leg, "–") || !strings.Contains(leg, "<") || !strings.Contains(leg, "≥") || !strings.Contains(leg, "MWh/an") {
		t.Errorf("legend %q does not give class ranges in MWh/an", leg)
	}
	// Zoomed out, a visible hint says to zoom in.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.__gisementMap.jumpTo({zoom: 11}), true)`)); err != nil {
		t.Fatal(err)
	}
	hint, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const e = document.getElementById('zoom-hint'); return !e.hidden && e.offsetParent !== null && e.textContent; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(hint, "Zoomez") {
		t.Errorf("zoom hint %q (%v), want a visible « Zoomez … »", hint, err)
	}
	shot("webmap-zoom-hint.png")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.__gisementMap.jumpTo({zoom: 16}), true)`)); err != nil {
		t.Fatal(err)
	}

	// Filters are MapLibre expressions: a minimum of 10 kWp hides part of
	// the parcels (the synthetic parcels hold 2–36 kWp).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const e = document.getElementById('min-kwp'); e.value = '10'; e.dispatchEvent(new Event('input')); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	nf, err := chromedp.Run(ctx, chromedp.Poll[int](fmt.Sprintf(`(() => { const k = window.__gisementMap.queryRenderedFeatures({layers:['parcels-fill']}).length; return k > 0 && k < %d ? k : 0; })()`, n),
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Errorf("min kWp filter: rendered parcels did not drop below %d: %v", n, err)
	}
	t.Logf("rendered parcel features with pv_kwp >= 10: %d of %d", nf, n)
	// Heat-pump suitability indicator (categorical legend).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById('indicator'); s.value = 'hp_suitability'; s.dispatchEvent(new Event('change')); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	legend, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('legend').textContent`))
	if !strings.Contains(legend, "PAC air/eau seule") {
		t.Errorf("heat-pump legend %q", legend)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__gisementMap.loaded()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Logf("map not idle after indicator change: %v", err)
	}
	shot("webmap-heatpump-filtered.png")

	// Search by id: the panel switches to the other parcel.
	other := apitest.ParcelID(2, 2)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#search-id`), other),
		chromedp.Click(chromedp.CSS(`#search button`))); err != nil {
		t.Fatal(err)
	}
	got, err = chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(`(document.getElementById('panel-id')||{}).textContent === %q && %q`, other, other),
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("search %s: panel did not switch: %v", other, err)
	}
	// English labels with ?lang=en.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?lang=en&parcel="+id)); err != nil {
		t.Fatal(err)
	}
	label, err := chromedp.Run(ctx, chromedp.Poll[string](`document.querySelector('#panel h3') && document.querySelector('#panel h3').textContent`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || label != "Results" {
		t.Errorf("English panel heading %q (%v), want Results", label, err)
	}
}

// parseFR reads a French number with its unit ("1,23\u00a0MWh/an",
// "12\u202f345 kWh/an").
func parseFR(s string) (float64, string) {
	s = strings.TrimSpace(strings.NewReplacer("\u202f", "", "\u00a0", " ").Replace(s))
	num, unit, _ := strings.Cut(s, " ")
	v, _ := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(num, " ", ""), ",", "."), 64)
	return v, strings.TrimSpace(unit)
}

// englishValues are English code values and words that must not appear as
// values in the French panel.
var englishValues = []string{"very_good", "very good", "pitched", "flat", "attribute", "levels", "default", "unknown",
	"good", "medium", "low", "yes", "no", "true", "false", "kWp", "/yr", "gable", "hip", "shed"}

// checkFrenchPanel fails when a value cell of the side panel shows an
// English code or word.
func checkFrenchPanel(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	vals, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#panel-results td.num')].map((e) => e.textContent)`))
	if err != nil || len(vals) == 0 {
		t.Fatalf("%s: no values (%v)", what, err)
	}
	for _, v := range vals {
		for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '(' || r == ')' }) {
			for _, en := range englishValues {
				if w == en || strings.Contains(w, en) && strings.ContainsAny(en, "_/") {
					t.Errorf("%s: value %q is English (%q)", what, v, en)
				}
			}
		}
	}
	t.Logf("%s values: %q", what, vals)
}
