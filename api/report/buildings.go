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
	"strings"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo/insee"
)

// loadSites reads the commune's rows of the parcels layer, or, when the
// study has none, of the buildings layer (r.BuildingsOnly). Rows of every
// member code (insee.Members) are read.
func (r *Report) loadSites(ctx context.Context, store data.Store, study string) error {
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
		if n, err := store.Query(ctx, layer, data.Query{Study: study, Limit: 1}); err == nil && len(n.Features) == 0 {
			if bl, err := store.Layer(ctx, "buildings"); err == nil {
				layer, l, r.BuildingsOnly = "buildings", bl, true
			}
		}
	}
	r.SRID = l.SRID
	iris := ""
	for _, c := range []string{"code_iris", "iris_code", "iris"} {
		if l.Index(c) >= 0 {
			iris = c
			break
		}
	}
	for _, code := range insee.Members(r.Commune) {
		q := data.Query{Study: study, Limit: data.MaxLimit,
			Filters: []data.Filter{{Column: "commune_insee", Op: "=", Value: code}}}
		for {
			page, err := store.Query(ctx, layer, q)
			if err != nil {
				return fmt.Errorf("report: %s of %s: %w", layer, code, err)
			}
			for _, f := range page.Features {
				p := parcelOf(l, f, iris)
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

// studyMeta reads the warnings and the detected sources stored in the
// study summary (model/study.Summary: "warnings", "attribution").
func (r *Report) studyMeta() {
	var s struct {
		Warnings    []string `json:"warnings"`
		WeatherNote string   `json:"weather_note"`
		Attribution []struct {
			Name, Content, Origin, Licence, Attribution string
		} `json:"attribution"`
	}
	if len(r.Study.Summary) == 0 || json.Unmarshal(r.Study.Summary, &s) != nil {
		return
	}
	r.Warnings = append(r.Warnings, s.Warnings...)
	if s.WeatherNote != "" {
		r.Warnings = append(r.Warnings, s.WeatherNote)
	}
	if len(s.Attribution) > 0 && r.sourcesDefaulted {
		r.Sources = r.Sources[:0:0]
		for _, a := range s.Attribution {
			r.Sources = append(r.Sources, Source{Name: a.Name, Content: a.Content, Origin: a.Origin, Licence: a.Licence, Attribution: a.Attribution})
		}
	}
}

// MapCredit is the credit line under the maps: the attributions of the
// study's sources that draw on the map (buildings, parcels, boundaries).
func (r *Report) MapCredit() string {
	var parts []string
	seen := map[string]bool{}
	for _, s := range r.Sources {
		if s.Attribution == "" || seen[s.Attribution] {
			continue
		}
		seen[s.Attribution] = true
		parts = append(parts, s.Attribution)
	}
	parts = append(parts, "calculs gisement")
	return strings.Join(parts, " ; ") + "."
}

// Unit is the French plural of the annex's unit: "parcelles", or
// "bâtiments" for a study without parcels.
func (r *Report) Unit() string {
	if r.BuildingsOnly {
		return "bâtiments"
	}
	return "parcelles"
}
