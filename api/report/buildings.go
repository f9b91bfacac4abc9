package report

// Parcel-less studies, arrondissements and study-driven sources (issue 13).
// A study run on buildings alone has no parcels layer: the annex then
// reads the buildings layer, one row per building, and the parcel-level
// figures (heat-pump siting, boreholes, NPV, CO2) are "n/a", never 0. A
// report for Paris, Lyon or Marseille gathers the rows of the commune
// code and of its municipal arrondissements (75056 ← 75101…75120).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo/insee"
	"github.com/gisement/gisement/model/study"
)

// loadSites reads the commune's rows of the parcels layer, or, when the
// study has none, of the buildings layer (r.BuildingsOnly). Rows of every
// member code (insee.Members) are read. It is the one place that handles a
// study without parcels: every later part of the annex reads r.Parcels,
// r.SumCols and r.BuildingsOnly only.
func (r *Report) loadSites(ctx context.Context, store data.Store, studyID string) error {
	layer := "parcels"
	l, err := store.Layer(ctx, layer)
	if errors.Is(err, data.ErrNotFound) {
		layer, r.BuildingsOnly = "buildings", true
		l, err = store.Layer(ctx, layer)
	}
	if err != nil {
		return fmt.Errorf("report: %s layer: %w", layer, err)
	}
	if !r.BuildingsOnly {
		// A store may hold a parcels layer from another study: the
		// study's own rows decide.
		if n, err := store.Query(ctx, layer, data.Query{Study: studyID, Limit: 1}); err == nil && len(n.Features) == 0 {
			if bl, err := store.Layer(ctx, "buildings"); err == nil {
				layer, l, r.BuildingsOnly = "buildings", bl, true
			}
		}
	}
	l = study.Schema().Describe(l)
	r.Layer, r.SRID = l, l.SRID
	for _, c := range l.Columns {
		if c.Flags.Has(data.Summable) && c.Type.Numeric() {
			r.SumCols = append(r.SumCols, c)
		}
	}
	iris := firstColumn(l, "code_iris", "iris_code", "iris")
	addr := firstColumn(l, "address", "adresse", "addr", "adresse_postale")
	for _, code := range insee.Members(r.Commune) {
		q := data.Query{Study: studyID, Limit: data.MaxLimit,
			Filters: []data.Filter{{Column: "commune_insee", Op: "=", Value: code}}}
		for {
			page, err := store.Query(ctx, layer, q)
			if err != nil {
				return fmt.Errorf("report: %s of %s: %w", layer, code, err)
			}
			for _, f := range page.Features {
				p := parcelOf(l, f, iris)
				if addr != "" {
					p.Address, _ = f.Value(l, addr).(string)
				}
				p.Sums = make([]float64, len(r.SumCols))
				for i, c := range r.SumCols {
					p.Sums[i] = data.Number(f.Value(l, c.Name))
				}
				if r.BuildingsOnly {
					p.Buildings = 1
					if a, ok := f.Value(l, "footprint_m2").(float64); ok {
						p.AreaM2 = a
					}
					if len(r.Commune) == 5 && code != r.Commune {
						p.Section = insee.Name(code) // arrondissement as the grouping
					}
				}
				if code != r.Commune {
					r.fromMembers = true
				}
				r.Parcels = append(r.Parcels, p)
			}
			if page.Next == "" {
				break
			}
			q.Cursor = page.Next
		}
	}
	return nil
}

// studyMeta adds the weather note to the warnings (StudyWarnings read the
// "warnings" list) and reads the detected sources stored in the study
// summary (model/study.Summary: "weather_note", "attribution").
func (r *Report) studyMeta() {
	var s struct {
		WeatherNote string `json:"weather_note"`
		Attribution []struct {
			Name, Content, Origin, Licence, Attribution string
		} `json:"attribution"`
	}
	if len(r.Study.Summary) == 0 || json.Unmarshal(r.Study.Summary, &s) != nil {
		return
	}
	if s.WeatherNote != "" && !slices.Contains(r.Warnings, s.WeatherNote) {
		r.Warnings = append(r.Warnings, s.WeatherNote)
	}
	if len(s.Attribution) > 0 && r.sourcesDefaulted {
		r.Sources = r.Sources[:0:0]
		for _, a := range s.Attribution {
			r.Sources = append(r.Sources, Source{Name: a.Name, Content: a.Content, Origin: a.Origin, Licence: a.Licence, Attribution: a.Attribution})
		}
	}
}

// MapCredits are the attributions of the study's sources (buildings,
// parcels, boundaries) credited under the maps, in their own words; the
// template ends the line with the computations (map.calc).
func (r *Report) MapCredits() []string {
	parts := []string{}
	seen := map[string]bool{}
	for _, s := range r.Sources {
		if s.Attribution == "" || seen[s.Attribution] {
			continue
		}
		seen[s.Attribution] = true
		parts = append(parts, s.Attribution)
	}
	return parts
}
