package api

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// TestAPIParcelsGeoPackage downloads selections as GeoPackage (format=gpkg
// and the Accept header), opens them with data/gpkg (and GDAL's ogrinfo
// when installed, which must print no warning), and compares the parcels
// with the JSON screening of the same selection.
func TestAPIParcelsGeoPackage(t *testing.T) {
	s := newServer(t, nil)
	b := gridBound(t)
	c := b.Center()
	sel := "bbox=" + strings.Join([]string{ftoa(b.Min[0]), ftoa(b.Min[1]), ftoa(c[0]), ftoa(c[1])}, ",") + "&min_kwp=5"
	for _, req := range []struct{ target, accept string }{
		{"/v1/parcels?format=gpkg&limit=3&" + sel, ""},
		{"/v1/parcels?" + sel, "application/geopackage+sqlite3"},
	} {
		r := do(t, s, http.MethodGet, req.target, "", "Accept", req.accept, "Accept-Encoding", "gzip")
		if r.Code != http.StatusOK || r.Header.Get("Content-Type") != "application/geopackage+sqlite3" || r.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: %d %q %q: %.300s", req.target, r.Code, r.Header.Get("Content-Type"), r.Header.Get("Content-Encoding"), r.Body)
		}
		if cl, _ := strconv.Atoi(r.Header.Get("Content-Length")); cl != len(r.Body) {
			t.Errorf("Content-Length %d, body %d bytes", cl, len(r.Body))
		}
		path := filepath.Join(t.TempDir(), "sel.gpkg")
		if err := os.WriteFile(path, r.Body, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := gpkg.OpenExisting(path)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		q := data.Query{Limit: data.MaxLimit}
		for {
			page, err := got.Query(context.Background(), "parcels", q)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range page.Features {
				ids = append(ids, f.Values[0].(string))
				if f.Geom == nil {
					t.Fatalf("parcel %v without geometry", f.Values[0])
				}
			}
			if page.Next == "" {
				break
			}
			q.Cursor = page.Next
		}
		got.Close()
		// Same selection as JSON (all pages).
		var want []string
		next := ""
		for {
			tgt := "/v1/parcels?limit=1000&" + sel
			if next != "" {
				tgt += "&cursor=" + next
			}
			m := decode(t, do(t, s, http.MethodGet, tgt, "").Body)
			for _, f := range m["features"].([]any) {
				want = append(want, f.(map[string]any)["id"].(string))
			}
			if next, _ = m["next_cursor"].(string); next == "" {
				break
			}
		}
		if len(want) < 4 || strings.Join(ids, ",") != strings.Join(want, ",") {
			t.Fatalf("GeoPackage holds %d parcels %v, JSON selection %d %v", len(ids), ids, len(want), want)
		}
		if n, _ := strconv.Atoi(r.Header.Get("X-Feature-Count")); n != len(want) {
			t.Errorf("X-Feature-Count %q, want %d", r.Header.Get("X-Feature-Count"), len(want))
		}
		if ogr, err := exec.LookPath("ogrinfo"); err == nil {
			out, err := exec.Command(ogr, "-al", "-so", path).CombinedOutput()
			if err != nil || strings.Contains(string(out), "Warning") || strings.Contains(string(out), "ERROR") {
				t.Errorf("ogrinfo: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "Feature Count: "+strconv.Itoa(len(want))) {
				t.Errorf("ogrinfo feature count:\n%s", out)
			}
		}
	}
	small := newServer(t, func(o *Options) { o.MaxExportFeatures = 3 })
	wantProblem(t, do(t, small, http.MethodGet, "/v1/parcels?format=gpkg&"+sel, ""), http.StatusRequestEntityTooLarge, "more than 3 parcels")
	entries, _ := filepath.Glob(filepath.Join(os.TempDir(), "gisement-export-*"))
	if len(entries) != 0 {
		t.Errorf("temporary export files left: %v", entries)
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }
