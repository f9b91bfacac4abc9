package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/api/report"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/postgis"
)

func init() { rootCmd.AddCommand(newReportCmd()) }

// reportOptions are the flags of `gisement report`.
type reportOptions struct {
	From, DB string // GeoPackage path or PostGIS URL (exactly one)
	Commune  string // INSEE code
	Study    string // "" = latest
	Out      string // .html or .pdf
	Chromium string // browser for the PDF ("" = chromium on PATH)
	Lang     string // fr (default) or en
}

func newReportCmd() *cobra.Command {
	var o reportOptions
	c := &cobra.Command{
		Use:   "report",
		Short: "Write the planning annex of a commune (HTML, or PDF through headless Chromium)",
		Long: `Write the planning annex (in French, for PLU/SCoT/PCAET documents) of one commune
from a result store: situation map, maps of the parcels by rooftop PV production and
heat-pump suitability, totals per cadastral section (and IRIS), top sites by NPV and by
production, heat-pump potential, method, the scenario's assumptions with their sources,
and the data sources with their licences.

The output format follows the --out extension: .html (self-contained: CSS and maps
inline) or .pdf (printed by headless Chromium: Debian package chromium).`,
		Example: `  gisement report --commune 24322 --from results.gpkg --out annexe-perigueux.html
  gisement report --commune 24322 --db postgres://user@host/db --out annexe-perigueux.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReport(cmd.Context(), o) },
	}
	f := c.Flags()
	f.StringVar(&o.Commune, "commune", "", "INSEE code of the commune (required), e.g. 24322")
	f.StringVar(&o.From, "from", "", "GeoPackage results file")
	f.StringVar(&o.DB, "db", "", "PostGIS connection URL (postgres://...)")
	f.StringVar(&o.Study, "study", "", "study id (default: the latest study)")
	f.StringVar(&o.Out, "out", "", "output file, .html or .pdf (required)")
	f.StringVar(&o.Lang, "lang", "fr", "language of the annex: fr (default) or en")
	f.StringVar(&o.Chromium, "chromium", "", "Chromium executable for PDF output (default: $GISEMENT_CHROMIUM, then chromium on PATH)")
	return c
}

func runReport(ctx context.Context, o reportOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if (o.From == "") == (o.DB == "") {
		return badInput(errors.New("report: give exactly one of --from FILE.gpkg or --db postgres://..."))
	}
	if o.Commune == "" || o.Out == "" {
		return badInput(errors.New("report: --commune and --out are required"))
	}
	if o.Lang == "" {
		o.Lang = data.French
	}
	if o.Lang != data.French && o.Lang != data.English {
		return badInput(fmt.Errorf("report: --lang %q: want fr or en", o.Lang))
	}
	var store data.Store
	if o.From != "" {
		s, err := gpkg.OpenExisting(o.From)
		if err != nil {
			return badInput(fmt.Errorf("report: %w", err))
		}
		store = s
	} else {
		s, err := postgis.Open(ctx, o.DB, postgis.Options{MaxConns: 2})
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		store = s
	}
	defer store.Close()
	err := report.Generate(ctx, store, report.Options{Commune: o.Commune, Study: o.Study, Out: o.Out, ChromiumPath: o.Chromium, Lang: o.Lang})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, report.ErrUnknownCommune), errors.Is(err, data.ErrInvalidValue), errors.Is(err, data.ErrNotFound):
		return badInput(err)
	}
	return err
}
