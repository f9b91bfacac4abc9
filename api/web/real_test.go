package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gisement/gisement/api"
	"github.com/gisement/gisement/api/web"
	"github.com/gisement/gisement/data/gpkg"
)

// TestBrowserRealStudy opens the web map over a REAL study result when
// GISEMENT_STUDY_GPKG names one (e.g. the output of `gisement study --out
// /tmp/sample.gpkg`), clicks the parcel at the centre of the view, opens the
// commune summary and saves screenshots (GISEMENT_ARTIFACTS or a temp dir).
// It checks that no raw column key is shown and that the commune outline
// is drawn.
func TestBrowserRealStudy(t *testing.T) {
	path := os.Getenv("GISEMENT_STUDY_GPKG")
	if path == "" {
		t.Skip("set GISEMENT_STUDY_GPKG to a study GeoPackage to run the real-study browser check")
	}
	ctx := browser(t, 3*time.Minute)
	st, err := gpkg.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := api.New(api.Options{Store: st, PrewarmTiles: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv)
	mux.Handle("/", web.Handler())
	ts := httptest.NewServer(mux)
	defer ts.Close()

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(ts.URL+"/?lon=0.7215&lat=45.1845&zoom=17")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__gisementReady === true`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("map never rendered parcels: %v", err)
	}
	dir := artifactDir(t)
	shot := func(name string) {
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__gisementMap.loaded() && window.__gisementMap.areTilesLoaded()`,
			chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Logf("map not idle before %s: %v", name, err)
		}
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	// Click the first rendered parcel's point nearest the centre.
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const m = window.__gisementMap, c = m.getCanvas().getBoundingClientRect();
		for (let r = 0; r < 300; r += 10) for (const [dx, dy] of [[r,0],[-r,0],[0,r],[0,-r]]) {
			const x = c.width/2/devicePixelRatio + dx, y = c.height/2/devicePixelRatio + dy;
			if (m.queryRenderedFeatures([x, y], {layers: ['parcels-fill']}).length) return [x + c.left, y + c.top];
		}
		return [c.left + c.width/2, c.top + c.height/2]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	id, err := chromedp.Run(ctx, chromedp.Poll[string](`(document.getElementById('panel-id')||{}).textContent`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || id == "" {
		t.Fatalf("no parcel panel after the click: %v", err)
	}
	time.Sleep(500 * time.Millisecond)
	shot("webmap-real-parcel.png")
	panel, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('panel-results').innerText`))
	for _, line := range strings.Split(panel, "\n") {
		if strings.Contains(line, "_") {
			t.Errorf("parcel %s panel shows a raw key: %q", id, line)
		}
	}
	// Commune summary with its outline.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#panel-commune`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById('panel-commune') && !!document.getElementById('panel-results')`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	shot("webmap-real-commune.png")
	panel, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('panel-results').innerText`))
	for _, line := range strings.Split(panel, "\n") {
		if strings.Contains(line, "_") {
			t.Errorf("commune panel shows a raw key: %q", line)
		}
	}
	n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__gisementMap.querySourceFeatures('commune').length`))
	if n == 0 {
		t.Error("commune outline not drawn")
	}
}
