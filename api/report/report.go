// Package report writes the planning annex of a commune from a gisement
// result store: a self-contained HTML document (CSS inline, maps as inline
// PNG data: URIs) or its PDF printed by headless Chromium.
//
// The annex is written in French, for the readers of a PLU, SCoT or PCAET:
// a situation map; choropleth maps of the parcels by rooftop PV production
// and by heat-pump suitability; totals per cadastral section (and per IRIS
// when the parcels carry an IRIS code); the top sites for investors (by net
// present value and by annual production); the heat-pump potential; the
// method; every assumption of the study's scenario with its source; and the
// data sources with their licences and attributions.
//
// Figures are read from the store's parcels layer (one row per parcel of
// the commune, column names of the study pipeline: pv_kwh_yr in kWh/yr,
// pv_kwp in kWp, npv_eur in EUR, ...); nothing is recomputed here except
// sums, counts and production-weighted means.
package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gisement/gisement/data"
)

// ErrUnknownCommune is returned when the store holds neither a parcel nor a
// commune row with the requested INSEE code.
var ErrUnknownCommune = errors.New("report: unknown commune")

// ErrNoBrowser is returned when a PDF is asked for and no Chromium is found.
var ErrNoBrowser = errors.New("report: PDF output needs headless Chromium (Debian package chromium; see .ci/web.sh), not found")

// Options configure Generate.
type Options struct {
	Commune string // INSEE code, e.g. "24322" (required)
	Study   string // study id; "" = the latest study in the store
	// Out is the output file; its extension (.html or .pdf) chooses the
	// format.
	Out string
	// Sources are the data sources listed in the annex; nil = DefaultSources
	// (the embedded sample territory's sources, data/sample/README.md).
	Sources []Source
	// ChromiumPath is the browser that prints the PDF; "" = $GISEMENT_CHROMIUM,
	// then "chromium" and "chromium-browser" on PATH.
	ChromiumPath string
	// Now dates the annex; zero = time.Now().
	Now time.Time
	// TopN is the number of rows of each top-sites table (default 15).
	TopN int
	// Lang is the language of the annex: data.French (default) or
	// data.English.
	Lang string
}

// Generate writes the annex of o.Commune to o.Out (HTML or PDF by extension).
func Generate(ctx context.Context, store data.Store, o Options) error {
	ext := strings.ToLower(filepath.Ext(o.Out))
	if ext != ".html" && ext != ".htm" && ext != ".pdf" {
		return fmt.Errorf("report: output %q: extension must be .html or .pdf: %w", o.Out, data.ErrInvalidValue)
	}
	var chromium string
	if ext == ".pdf" { // fail before the work when the browser is missing
		var err error
		if chromium, err = FindChromium(o.ChromiumPath); err != nil {
			return err
		}
	}
	r, err := Build(ctx, store, o)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		return err
	}
	out := buf.Bytes()
	if ext == ".pdf" {
		if out, err = PDF(ctx, out, chromium); err != nil {
			return err
		}
	}
	if err := os.WriteFile(o.Out, out, 0o644); err != nil {
		return fmt.Errorf("report: write %s: %w", o.Out, err)
	}
	return nil
}
