package api

import (
	"context"
	"errors"
	"math"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo/insee"
)

// parentCommune builds the communes-layer row of Paris, Lyon or Marseille
// from the rows of its municipal arrondissements and of the commune code
// itself (issue 13: a study may place most buildings in arrondissements and
// leave some at the commune level): summable columns are
// summed (NULL when every member is NULL), other columns are NULL but the
// key and the name; the outline is the members' outlines together.
func (s *Server) parentCommune(ctx context.Context, st data.Study, l data.Layer, code string) (data.Feature, error) {
	var rows []data.Feature
	for _, m := range insee.Members(code) {
		f, err := s.store.Get(ctx, st.ID, "communes", m)
		if errors.Is(err, data.ErrNotFound) {
			continue
		}
		if err != nil {
			return data.Feature{}, err
		}
		rows = append(rows, f)
	}
	if len(rows) == 0 {
		return data.Feature{}, data.ErrNotFound
	}
	out := data.Feature{Values: make([]any, len(l.Columns))}
	var geom orb.MultiPolygon
	for _, r := range rows {
		switch g := r.Geom.(type) {
		case orb.Polygon:
			geom = append(geom, g)
		case orb.MultiPolygon:
			geom = append(geom, g...)
		}
	}
	if len(geom) > 0 {
		out.Geom = geom
	}
	for i, c := range l.Columns {
		switch {
		case c.Name == l.Key:
			out.Values[i] = code
		case c.Name == "name":
			out.Values[i] = insee.Name(code)
		case c.Flags.Has(data.Summable) && c.Type.Numeric():
			var sum float64
			seen := false
			for _, r := range rows {
				if i >= len(r.Values) {
					continue
				}
				switch v := r.Values[i].(type) {
				case float64:
					if !math.IsNaN(v) {
						sum, seen = sum+v, true
					}
				case int64:
					sum, seen = sum+float64(v), true
				}
			}
			if seen {
				if c.Type == data.Integer {
					out.Values[i] = int64(sum)
				} else {
					out.Values[i] = sum
				}
			}
		}
	}
	return out, nil
}
