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
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/api"
	"github.com/gisement/gisement/api/web"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/model/study"
)

// TestBrowserBuildingsOnly opens the map over a REAL parcel-less study (a
// block of the Paris 11e BDNB buildings): the first view, with no URL
// parameter, fits the buildings and draws them (issue 13: it was blank
// with "404 layer parcels not found").
func TestBrowserBuildingsOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a study and a browser")
	}
	bpath := shareddata.Path(t, "buildings/paris11_75111_bdnb_buildings.geojson.gz")
	ctx := browser(t, 3*time.Minute)
	dir := t.TempDir()
	paths, err := sample.Materialize(dir)
	if err != nil {
		t.Fatal(err)
	}
	area := orb.Bound{Min: orb.Point{2.372, 48.855}, Max: orb.Point{2.380, 48.860}}.ToPolygon()
	res, err := study.Run(context.Background(), study.Options{BuildingsPath: bpath, WeatherPath: paths[sample.Weather],
		IrradiancePath: paths[sample.Irradiation], AreaWGS84: area, MonteCarloDraws: 20, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	stu, layers, err := study.Layers(res)
	if err != nil {
		t.Fatal(err)
	}
	st, err := gpkg.Open(filepath.Join(dir, "p11.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.WriteStudy(context.Background(), stu, layers); err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv)
	mux.Handle("/", web.Handler())
	ts := httptest.NewServer(mux)
	defer ts.Close()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 800), chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__gisementReady === true`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
		t.Fatalf("first view never drew the buildings (status %q): %v", status, err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__gisementMap.queryRenderedFeatures({layers: ['buildings-fill']}).length`))
	if err != nil || n == 0 {
		t.Fatalf("%d buildings rendered (%v)", n, err)
	}
	status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
	if strings.Contains(status, "404") {
		t.Errorf("status line %q", status)
	}
	// The study's stored warnings and its sources are shown.
	nw, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#study-warnings li').length`))
	if err != nil || nw == 0 {
		t.Errorf("%d study warnings shown (%v)", nw, err)
	}
	attr, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.maplibregl-ctrl-attrib')?.textContent || ''`))
	if !strings.Contains(attr, "CSTB — BDNB") || strings.Contains(attr, "cadastre DGFiP") {
		t.Errorf("attribution %q, want the study's sources (BDNB, no cadastre)", attr)
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		p := filepath.Join(artifactDir(t), "buildings-only-first-view.png")
		_ = os.WriteFile(p, buf, 0o644)
		t.Logf("%d buildings rendered; screenshot %s", n, p)
	}
}
