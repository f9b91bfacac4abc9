package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/paulmach/orb/geojson"
	"github.com/spf13/cobra"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/export"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/model/study"
)

func init() { rootCmd.AddCommand(newExportCmd()) }

// exportOptions are the flags of `gisement export`.
type exportOptions struct {
	From   string // GeoPackage path
	DB     string // PostGIS URL
	Format string // geojson | csv | csv-fr
	Layer  string
	Study  string // "" = latest
	Out    string // file or "-"
	WKT    bool   // CSV: geometry as WKT (EPSG:4326) instead of centroid lon/lat
	PCAET  bool   // the per-commune/EPCI diagnostic instead of a layer
	EPCI   string // communes → EPCI table (CSV) for --pcaet
	Lang   string // xlsx labels: fr (default) or en
}

func newExportCmd() *cobra.Command {
	var o exportOptions
	c := &cobra.Command{
		Use:   "export",
		Short: "Export a result layer as GeoJSON (EPSG:4326, RFC 7946) or CSV (machines or French spreadsheets)",
		Long: `Export one layer of a stored study.

GeoJSON: a FeatureCollection in EPSG:4326 lon/lat (RFC 7946), properties = the layer columns,
real values rounded to the schema's decimals (as csv-fr).
CSV: a header row with the layer columns, then lon,lat of the feature centroid (EPSG:4326,
degrees, 7 decimals), or a geometry_wkt column (EPSG:4326) with --wkt. Values not computed
are empty cells, never 0.
  --format csv     RFC 4180 for machines: comma, decimal point, values in full.
  --format csv-fr  for French spreadsheets: semicolon, decimal comma, UTF-8 BOM, CRLF,
                   French headings with units, values rounded to the schema's decimals.

--pcaet writes, instead of a layer, the figures of a PCAET/SCoT energy diagnostic per
commune (and per EPCI with --epci FILE: a CSV of commune INSEE code → EPCI SIREN and
name, e.g. INSEE's "Intercommunalité – Métropole" table with CODGEO;EPCI;LIBEPCI):
potential by technology (rooftop and ground PV), heat demand, the share of it heat pumps
can cover, CO₂ avoided, in MWh/an, MWc, MW, t CO₂e/an. Formats: csv and csv-fr (tidy:
one row per territory and indicator) and xlsx (a sheet per level with one column per
indicator, units in the headings, numbers as numbers; a tidy sheet).`,
		Example: `  gisement export --from results.gpkg --layer buildings --format geojson --out buildings.geojson
  gisement export --db postgres://user@host/db --layer buildings --format csv --study 2026-run1
  gisement export --from results.gpkg --layer parcels --format csv-fr --out parcelles.csv
  gisement export --from results.gpkg --pcaet --epci epci.csv --format xlsx --out diagnostic-pcaet.xlsx
  gisement export --from results.gpkg --pcaet --format csv-fr --out diagnostic-pcaet.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := c.Flags()
	f.StringVar(&o.From, "from", "", "GeoPackage results file")
	f.StringVar(&o.DB, "db", "", "PostGIS connection URL (postgres://...)")
	f.StringVar(&o.Format, "format", "geojson", "output format: geojson, csv or csv-fr")
	f.StringVar(&o.Layer, "layer", "", "layer name (required)")
	f.StringVar(&o.Study, "study", "", "study id (default: the latest study)")
	f.StringVar(&o.Out, "out", "-", "output file, or - for standard output")
	f.BoolVar(&o.WKT, "wkt", false, "CSV: write the geometry as WKT (EPSG:4326) instead of centroid lon/lat")
	f.BoolVar(&o.PCAET, "pcaet", false, "write the PCAET/SCoT diagnostic per commune (and EPCI) instead of a layer; formats csv, csv-fr, xlsx")
	f.StringVar(&o.EPCI, "epci", "", "with --pcaet: CSV of commune INSEE code → EPCI (columns CODGEO, EPCI, LIBEPCI or similar)")
	f.StringVar(&o.Lang, "lang", "fr", "with --pcaet --format xlsx: language of labels and units, fr or en")
	return c
}

func runExport(ctx context.Context, o exportOptions, stdout io.Writer) (err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if (o.From == "") == (o.DB == "") {
		return badInput(errors.New("export: give exactly one of --from FILE.gpkg or --db postgres://..."))
	}
	_, csvFormat := export.Dialects[o.Format]
	switch {
	case o.PCAET && !csvFormat && o.Format != "xlsx":
		return badInput(fmt.Errorf("export: --pcaet: unknown --format %q (want csv, csv-fr or xlsx)", o.Format))
	case !o.PCAET && o.Format == "xlsx":
		return badInput(errors.New("export: --format xlsx is the PCAET diagnostic: add --pcaet"))
	case !o.PCAET && o.Format != "geojson" && !csvFormat:
		return badInput(fmt.Errorf("export: unknown --format %q (want geojson, csv or csv-fr)", o.Format))
	case !o.PCAET && o.Layer == "":
		return badInput(errors.New("export: --layer is required"))
	case o.EPCI != "" && !o.PCAET:
		return badInput(errors.New("export: --epci goes with --pcaet"))
	case o.Lang != "" && o.Lang != data.French && o.Lang != data.English:
		return badInput(fmt.Errorf("export: --lang %q: want fr or en", o.Lang))
	}
	var epci map[string]export.EPCI
	if o.EPCI != "" {
		fh, err := os.Open(o.EPCI)
		if err != nil {
			return badInput(fmt.Errorf("export: %w", err))
		}
		epci, err = export.ReadEPCI(fh)
		fh.Close()
		if err != nil {
			return badInput(fmt.Errorf("export: %s: %w", o.EPCI, err))
		}
	}
	if o.PCAET {
		o.Layer = study.LayerCommunes
	}
	var store data.Store
	if o.From != "" {
		s, err := gpkg.OpenExisting(o.From)
		if err != nil {
			return badInput(fmt.Errorf("export: %w", err))
		}
		store = s
	} else {
		s, err := postgis.Open(ctx, o.DB, postgis.Options{MaxConns: 1})
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		store = s
	}
	defer store.Close()
	layer, err := store.Layer(ctx, o.Layer)
	if err != nil {
		return inputIfNotFound(err)
	}
	if _, err := store.Study(ctx, o.Study); err != nil {
		return inputIfNotFound(err)
	}

	w := stdout
	if o.Out != "-" && o.Out != "" {
		f, err := os.Create(o.Out)
		if err != nil {
			return badInput(fmt.Errorf("export: %w", err))
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = cerr
			}
			if err != nil {
				os.Remove(o.Out)
			}
		}()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var n int
	if o.PCAET {
		st, _ := store.Study(ctx, o.Study)
		p, orphans, err := export.BuildPCAET(ctx, store, study.Schema().Describe(layer), st.ID, epci)
		if err != nil {
			return err
		}
		if len(orphans) > 0 {
			fmt.Fprintf(os.Stderr, "gisement: %d commune(s) not in %s, counted in no EPCI: %s\n", len(orphans), o.EPCI, strings.Join(orphans, ", "))
		}
		if o.Format == "xlsx" {
			lang := o.Lang
			if lang == "" {
				lang = data.French
			}
			err = p.WriteXLSX(bw, lang)
		} else {
			err = p.WriteTidyCSV(bw, export.Dialects[o.Format])
		}
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		n = len(p.Areas)
	} else if o.Format == "geojson" {
		n, err = exportGeoJSON(ctx, store, study.Schema().Describe(layer), o, bw)
	} else {
		n, err = exportCSV(ctx, store, layer, o, bw)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if o.Out != "-" && o.Out != "" {
		fmt.Fprintf(os.Stderr, "gisement: exported %d features of layer %s to %s\n", n, layer.Name, o.Out)
	}
	return nil
}

func inputIfNotFound(err error) error {
	if errors.Is(err, data.ErrNotFound) {
		return badInput(fmt.Errorf("export: %w", err))
	}
	return fmt.Errorf("export: %w", err)
}

// eachFeature pages through the layer (keyset cursor, 1000 at a time) so
// memory stays bounded on large layers.
func eachFeature(ctx context.Context, s data.Store, l data.Layer, studyID string, fn func(data.Feature) error) (int, error) {
	n := 0
	for p, err := range data.Pages(ctx, s, l.Name, data.Query{Study: studyID, Limit: data.MaxLimit}) {
		if err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		for _, f := range p.Features {
			if err := fn(f); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func exportGeoJSON(ctx context.Context, s data.Store, l data.Layer, o exportOptions, w *bufio.Writer) (int, error) {
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	first := true
	n, err := eachFeature(ctx, s, l, o.Study, func(f data.Feature) error {
		g, err := data.ToWGS84(f.Geom, l.SRID)
		if err != nil {
			return err
		}
		gf := geojson.NewFeature(g)
		gf.Properties = export.RoundedProperties(l, f)
		b, err := json.Marshal(gf)
		if err != nil {
			return fmt.Errorf("export: feature %v: %w", f.Values[l.Index(l.Key)], err)
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		w.WriteByte('\n')
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return n, err
	}
	_, err = w.WriteString("\n]}\n")
	return n, err
}

// exportCSV writes the layer with the one CSV writer of gisement
// (data/export; the HTTP API's CSV uses it too) in the dialect of
// --format: csv (RFC 4180, for machines) or csv-fr (French spreadsheets).
func exportCSV(ctx context.Context, s data.Store, l data.Layer, o exportOptions, w *bufio.Writer) (int, error) {
	eo := export.Options{Dialect: export.Dialects[o.Format], Geometry: export.Centroid}
	if o.WKT {
		eo.Geometry = export.WKT
	}
	cw, err := export.NewWriter(w, study.Schema().Describe(l), eo)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	n, err := eachFeature(ctx, s, l, o.Study, cw.Write)
	if ferr := cw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}
