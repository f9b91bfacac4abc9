package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// GeoPackage download of a selection (GET /v1/parcels?format=gpkg or
// Accept: application/geopackage+sqlite3): every parcel matching bbox and
// the filters (limit and cursor do not apply), in the store's schema and
// SRID, written with data/gpkg's writer to a temporary file that is
// streamed and removed. At most Options.MaxExportFeatures parcels
// (default DefaultMaxExportFeatures; 413 beyond); at
// most one export is written at a time (each takes a core for a second or
// two), others wait within their request timeout.
const (
	DefaultMaxExportFeatures = 20_000
	gpkgMediaType            = "application/geopackage+sqlite3"
)

var gpkgSlot = make(chan struct{}, 1)

// wantsGPKG tells whether GET /v1/parcels asks for a GeoPackage.
func wantsGPKG(c *echo.Context) bool {
	return c.QueryParam("format") == "gpkg" || strings.Contains(c.Request().Header.Get("Accept"), gpkgMediaType)
}

func (s *Server) exportGPKG(c *echo.Context, l data.Layer, st data.Study, q data.Query) error {
	ctx := c.Request().Context()
	select {
	case gpkgSlot <- struct{}{}:
		defer func() { <-gpkgSlot }()
	case <-ctx.Done():
		return problem(http.StatusServiceUnavailable, "Busy", "another GeoPackage export is being written; try again")
	}
	// Read the whole selection first (bounded), so an oversized one is
	// refused before anything is written.
	q.Cursor, q.Limit = "", data.MaxLimit
	var fs []data.Feature
	for page, err := range data.Pages(ctx, s.store, l.Name, q) {
		if err != nil {
			return storeProblem(err, l.Name)
		}
		fs = append(fs, page.Features...)
		if len(fs) > s.o.MaxExportFeatures {
			return problem(http.StatusRequestEntityTooLarge, "Selection too large",
				fmt.Sprintf("more than %d %s selected; narrow the bbox or add filters (min_kwp, technology)", s.o.MaxExportFeatures, l.Name))
		}
	}
	dir, err := os.MkdirTemp("", "gisement-export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "selection.gpkg")
	if err := writeSelection(ctx, path, l, st, fs); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Type", gpkgMediaType)
	h.Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	h.Set("Content-Disposition", `attachment; filename="gisement-`+l.Name+`.gpkg"`)
	h.Set("X-Feature-Count", strconv.Itoa(len(fs)))
	c.Response().WriteHeader(http.StatusOK)
	_, _ = io.Copy(c.Response(), f) // a client gone mid-stream is not our error
	return nil
}

// writeSelection writes the features as the study's parcels layer of a new
// GeoPackage (with the study row: id, scenario and hash travel with it).
func writeSelection(ctx context.Context, path string, l data.Layer, st data.Study, fs []data.Feature) error {
	out, err := gpkg.Open(path)
	if err != nil {
		return err
	}
	defer out.Close()
	st.Counts = nil
	if err := out.WriteStudy(ctx, st, []data.LayerData{{Layer: l, Features: data.SliceFeatures(fs)}}); err != nil {
		return fmt.Errorf("api: GeoPackage export: %w", err)
	}
	return out.Close()
}
