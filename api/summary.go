package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"

	"github.com/labstack/echo/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/export"
	inseepkg "github.com/gisement/gisement/geo/insee"
)

// maxZoneVertices bounds the size of a zone or study area (413 beyond; see
// limits.go for why and for the clipping and densification).
const maxZoneVertices = 20_000

// parseArea decodes a GeoJSON Polygon, MultiPolygon or a Feature holding one
// (EPSG:4326) and checks it: finite coordinates within lon/lat range, closed
// rings of ≥ 4 positions, at most maxZoneVertices positions. field names the
// input in error messages ("body", "area").
func parseArea(raw []byte, field string) (orb.Geometry, error) {
	var head struct {
		Type     string          `json:"type"`
		Geometry json.RawMessage `json:"geometry"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", field+": "+err.Error())
	}
	if head.Type == "Feature" {
		if len(head.Geometry) == 0 || string(head.Geometry) == "null" {
			return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", field+": Feature has no geometry")
		}
		raw = head.Geometry
	}
	g, err := geojson.UnmarshalGeometry(raw)
	if err != nil {
		return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", field+": "+err.Error())
	}
	geom := g.Geometry()
	var polys orb.MultiPolygon
	switch x := geom.(type) {
	case orb.Polygon:
		polys = orb.MultiPolygon{x}
	case orb.MultiPolygon:
		polys = x
	default:
		return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", fmt.Sprintf("%s: geometry type %q, want Polygon or MultiPolygon", field, g.Type))
	}
	if len(polys) == 0 {
		return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", field+": empty geometry")
	}
	n := 0
	for pi, p := range polys {
		if len(p) == 0 {
			return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", fmt.Sprintf("%s: polygon %d has no ring", field, pi))
		}
		for ri, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", fmt.Sprintf("%s: polygon %d ring %d must be closed with ≥ 4 positions", field, pi, ri))
			}
			for _, pt := range r {
				if !(pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90) {
					return nil, problem(http.StatusBadRequest, "Malformed GeoJSON", fmt.Sprintf("%s: position [%g, %g] outside lon/lat range (EPSG:4326 expected)", field, pt[0], pt[1]))
				}
			}
			n += len(r)
		}
	}
	if n > maxZoneVertices {
		return nil, problem(http.StatusRequestEntityTooLarge, "Zone too complex", fmt.Sprintf("%s: %d positions > %d (simplify the outline, e.g. to 1 m)", field, n, maxZoneVertices))
	}
	return prepareArea(geom, field)
}

// readBody reads the (size-limited) body; the limit error becomes 413.
func readBody(c *echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, problem(he.Code, http.StatusText(he.Code), he.Message)
		}
		return nil, problem(http.StatusBadRequest, "Unreadable body", err.Error())
	}
	return b, nil
}

type zoneSummary struct {
	Layer       string             `json:"layer"`
	Count       int64              `json:"count"`
	Totals      map[string]float64 `json:"totals"`
	Units       map[string]string  `json:"units"`
	Note        string             `json:"note"`
	Scenario    *scenarioRef       `json:"scenario"`
	BuildingCnt *int64             `json:"building_features,omitempty"`
}

// zoneSummary serves POST /v1/zones/summary.
func (s *Server) zoneSummary(c *echo.Context) error {
	ctx := c.Request().Context()
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	zone, err := parseArea(raw, "body")
	if err != nil {
		return err
	}
	// A study run without parcels is summed over its buildings (issue 13).
	layer := "parcels"
	if _, err := s.layer(ctx, layer); errors.Is(err, data.ErrNotFound) {
		layer = "buildings"
	}
	st, l, err := s.servedLayer(ctx, layer)
	if err != nil {
		return err
	}
	// The columns the study's schema flags summable (energies, powers,
	// areas, counts, money; not ratios or specific yields).
	var cols []string
	units := map[string]string{}
	for _, c := range l.Columns {
		if c.Flags.Has(data.Summable) && c.Type.Numeric() {
			cols = append(cols, c.Name)
			units[c.Name] = c.Unit
		}
	}
	tot, err := s.store.Summary(ctx, st.ID, layer, zone, cols)
	if err != nil {
		return storeProblem(err, layer)
	}
	for k, v := range tot.Sums {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			delete(tot.Sums, k)
		}
	}
	return c.JSON(http.StatusOK, zoneSummary{Layer: layer, Count: tot.Count, Totals: tot.Sums, Units: units,
		Note: layer + " whose geometry intersects the zone are counted whole; NULL values are skipped", Scenario: s.scenarioRef(st)})
}

// communeSummary serves GET /v1/communes/{insee}/summary from the study's
// communes layer (one row of totals per commune).
func (s *Server) communeSummary(c *echo.Context) error {
	ctx := c.Request().Context()
	insee := pathParam(c, "insee")
	st, l, err := s.servedLayer(ctx, "communes")
	if err != nil {
		return err
	}
	var f data.Feature
	if inseepkg.HasArrondissements(insee) {
		// Paris, Lyon, Marseille: its own row (buildings the sources left
		// at the commune level) and its arrondissements' (communes.go).
		f, err = s.parentCommune(ctx, st, l, insee)
	} else {
		f, err = s.store.Get(ctx, st.ID, "communes", insee)
	}
	if err != nil {
		return storeProblem(err, fmt.Sprintf("commune %q", insee))
	}
	props := export.Properties(l, f)
	units := map[string]string{}
	for _, col := range l.Columns {
		if col.Unit != "" {
			units[col.Name] = col.Unit
		}
	}
	var bbox []float64
	var geom *geojson.Geometry
	if f.Geom != nil {
		g, err := data.ToWGS84(f.Geom, l.SRID)
		if err != nil {
			return fmt.Errorf("commune %s: reproject outline: %w", insee, err)
		}
		b := g.Bound()
		bbox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		geom = geojson.NewGeometry(g)
	}
	return c.JSON(http.StatusOK, map[string]any{"commune_insee": insee, "totals": props, "units": units, "bbox": bbox,
		"geometry": geom, "scenario": s.scenarioRef(st)})
}
