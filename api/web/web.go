// Package web serves gisement's web map: one HTML page, its JavaScript and
// CSS, and the MapLibre GL JS ES-module build, all embedded in the binary
// (no CDN, no internet at run time). The page reads the API on the same
// origin: vector tiles /v1/tiles/{z}/{x}/{y}.mvt (layers parcels and
// buildings), /v1/parcels/{id}, /v1/parcels?bbox=... (CSV and GeoJSON
// downloads) and /v1/communes/{insee}/summary.
//
// The sources are in src/; `go generate` writes src/columns.js (the result
// columns' labels, units and decimals) from the study's schema
// (model/study.Schema), then (npm ci && npm run build) copies the sources
// with maplibre-gl's dist files into dist/, which is committed so that
// `go build` needs no Node.js. The page is French by default; ?lang=en
// switches to English. The base map is a plain background; an online raster
// base map (OpenStreetMap tiles by default, ?basemap_url= to change) is off
// until the user ticks it.
package web

//go:generate go run ./internal/gencolumns src/columns.js
//go:generate npm ci --no-audit --no-fund
//go:generate npm run build

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed dist
var distFS embed.FS

// Assets returns the embedded page files (index.html, app.js, i18n.js,
// style.css, vendor/maplibre-gl*.{mjs,css}).
func Assets() fs.FS {
	sub, err := fs.Sub(distFS, "dist")
	if err != nil { // cannot happen: dist is embedded at build time
		panic(err)
	}
	return sub
}

// Handler serves the web map: "/" is index.html, other paths are the
// embedded assets (404 otherwise). Only GET and HEAD are allowed. Mount it
// at "/" next to the API, e.g. with echo v5:
//
//	e.GET("/*", echo.WrapHandler(web.Handler()))
func Handler() http.Handler {
	files := http.FileServerFS(Assets())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		h := w.Header()
		switch ext := path.Ext(p); ext {
		case ".mjs", ".js":
			h.Set("Content-Type", "text/javascript; charset=utf-8")
		case ".css":
			h.Set("Content-Type", "text/css; charset=utf-8")
		}
		if strings.HasPrefix(p, "/vendor/") {
			h.Set("Cache-Control", "public, max-age=86400")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		// The page loads nothing from other origins unless the user turns the
		// online base map on (img-src https: for its raster tiles).
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob: https:; worker-src 'self' blob:; child-src blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' https:")
		h.Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
