package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/postgis"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/spf13/cobra"
)

func init() { rootCmd.AddCommand(newExportCmd()) }

// exportOptions are the flags of `gisement export`.
type exportOptions struct {
	From   string // GeoPackage path
	DB     string // PostGIS URL
	Format string // geojson | csv
	Layer  string
	Study  string // "" = latest
	Out    string // file or "-"
	WKT    bool   // CSV: geometry as WKT (EPSG:4326) instead of centroid lon/lat
}

func newExportCmd() *cobra.Command {
	var o exportOptions
	c := &cobra.Command{
		Use:   "export",
		Short: "Export a result layer as GeoJSON (EPSG:4326, RFC 7946) or CSV",
		Long: `Export one layer of a stored study.

GeoJSON: a FeatureCollection in EPSG:4326 lon/lat (RFC 7946), properties = the layer columns.
CSV: a header row with the layer columns, then lon,lat of the feature centroid (EPSG:4326,
degrees), or a geometry_wkt column (EPSG:4326) with --wkt.`,
		Example: `  gisement export --from results.gpkg --layer buildings --format geojson --out buildings.geojson
  gisement export --db postgres://user@host/db --layer buildings --format csv --study 2026-run1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := c.Flags()
	f.StringVar(&o.From, "from", "", "GeoPackage results file")
	f.StringVar(&o.DB, "db", "", "PostGIS connection URL (postgres://...)")
	f.StringVar(&o.Format, "format", "geojson", "output format: geojson or csv")
	f.StringVar(&o.Layer, "layer", "", "layer name (required)")
	f.StringVar(&o.Study, "study", "", "study id (default: the latest study)")
	f.StringVar(&o.Out, "out", "-", "output file, or - for standard output")
	f.BoolVar(&o.WKT, "wkt", false, "CSV: write the geometry as WKT (EPSG:4326) instead of centroid lon/lat")
	return c
}

func runExport(ctx context.Context, o exportOptions, stdout io.Writer) (err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if (o.From == "") == (o.DB == "") {
		return badInput(errors.New("export: give exactly one of --from FILE.gpkg or --db postgres://..."))
	}
	if o.Format != "geojson" && o.Format != "csv" {
		return badInput(fmt.Errorf("export: unknown --format %q (want geojson or csv)", o.Format))
	}
	if o.Layer == "" {
		return badInput(errors.New("export: --layer is required"))
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
	if o.Format == "geojson" {
		n, err = exportGeoJSON(ctx, store, layer, o, bw)
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
func eachFeature(ctx context.Context, s data.Store, l data.Layer, study string, fn func(data.Feature) error) (int, error) {
	q := data.Query{Study: study, Limit: data.MaxLimit}
	n := 0
	for {
		p, err := s.Query(ctx, l.Name, q)
		if err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		for _, f := range p.Features {
			if err := fn(f); err != nil {
				return n, err
			}
			n++
		}
		if p.Next == "" {
			return n, nil
		}
		q.Cursor = p.Next
	}
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
		for i, c := range l.Columns {
			gf.Properties[c.Name] = f.Values[i]
		}
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

func exportCSV(ctx context.Context, s data.Store, l data.Layer, o exportOptions, w *bufio.Writer) (int, error) {
	cw := csv.NewWriter(w)
	head := make([]string, 0, len(l.Columns)+2)
	for _, c := range l.Columns {
		head = append(head, c.Name)
	}
	if o.WKT {
		head = append(head, "geometry_wkt")
	} else {
		head = append(head, "lon", "lat")
	}
	if err := cw.Write(head); err != nil {
		return 0, err
	}
	rec := make([]string, len(head))
	n, err := eachFeature(ctx, s, l, o.Study, func(f data.Feature) error {
		for i, v := range f.Values {
			rec[i] = csvValue(v)
		}
		k := len(l.Columns)
		if o.WKT {
			g, err := data.ToWGS84(f.Geom, l.SRID)
			if err != nil {
				return err
			}
			rec[k] = wkt.MarshalString(g)
		} else {
			// Centroid in the layer SRID (planar, metres in Lambert-93),
			// then converted to lon/lat.
			c, _ := planar.CentroidArea(f.Geom)
			g, err := data.ToWGS84(c, l.SRID)
			if err != nil {
				return err
			}
			p := g.(orb.Point)
			rec[k], rec[k+1] = strconv.FormatFloat(p[0], 'f', 7, 64), strconv.FormatFloat(p[1], 'f', 7, 64)
		}
		return cw.Write(rec)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return n, err
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return x
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprint(v)
}
