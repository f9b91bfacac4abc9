package web_test

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gisement/gisement/api/web"
)

func get(t *testing.T, h http.Handler, method, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Result()
}

func TestHandlerServesPageAndAssets(t *testing.T) {
	h := web.Handler()
	cases := []struct {
		path, ctype string
		status      int
		contains    string
	}{
		{"/", "text/html", 200, `<script type="module" src="app.js">`},
		{"/app.js", "text/javascript", 200, "maplibre-gl.mjs"},
		{"/i18n.js", "text/javascript", 200, "Productible"},
		{"/style.css", "text/css", 200, "#panel"},
		{"/vendor/maplibre-gl.mjs", "text/javascript", 200, "MapLibre GL JS"},
		{"/vendor/maplibre-gl-worker.mjs", "text/javascript", 200, ""},
		{"/vendor/maplibre-gl.css", "text/css", 200, ".maplibregl-map"},
		{"/nope.js", "", 404, ""},
		{"/../../web.go", "", 404, ""},
	}
	for _, c := range cases {
		res := get(t, h, http.MethodGet, c.path)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != c.status {
			t.Errorf("GET %s: status %d, want %d", c.path, res.StatusCode, c.status)
			continue
		}
		if c.ctype != "" && !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s", c.path, res.Header.Get("Content-Type"), c.ctype)
		}
		if !bytes.Contains(body, []byte(c.contains)) {
			t.Errorf("GET %s: body lacks %q", c.path, c.contains)
		}
	}
	if res := get(t, h, http.MethodPost, "/"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", res.StatusCode)
	}
}

// TestPageLoadsNothingExternal checks that index.html and app.js reference
// only embedded files (no CDN): every src/href/import of the page resolves
// to an embedded asset.
func TestPageLoadsNothingExternal(t *testing.T) {
	assets := web.Assets()
	ref := regexp.MustCompile(`(?:src|href)="([^"#]+)"|from '(\./[^']+)'`)
	for _, name := range []string{"index.html", "app.js"} {
		b, err := fs.ReadFile(assets, name)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
			p := m[1] + m[2]
			if strings.HasPrefix(p, "data:") {
				continue // inline (the empty favicon)
			}
			if strings.Contains(p, "://") {
				t.Errorf("%s references an external URL %q", name, p)
				continue
			}
			if _, err := fs.Stat(assets, strings.TrimPrefix(p, "./")); err != nil {
				t.Errorf("%s references %q, not embedded: %v", name, p, err)
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s: no reference found (regexp broken?)", name)
		}
	}
}

// TestDistMatchesSources fails when src/ was edited without `go generate`
// (npm run build): the embedded copy would be stale.
func TestDistMatchesSources(t *testing.T) {
	srcs, err := filepath.Glob("src/*")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no sources: %v", err)
	}
	for _, s := range srcs {
		want, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fs.ReadFile(web.Assets(), filepath.Base(s))
		if err != nil {
			t.Fatalf("%s not embedded: %v", s, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("dist/%s differs from %s: run `go generate ./api/web` (npm ci && npm run build)", filepath.Base(s), s)
		}
	}
}
