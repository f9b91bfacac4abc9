package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v5"
)

// listBuildings serves GET /v1/buildings: the buildings layer screened like
// the parcels (bbox, min_kwp, min_specific_yield, technology=pv, sort,
// limit, cursor), as GeoJSON, CSV or a GeoPackage of the whole selection.
// A study run without parcels has only this layer (issue 13).
func (s *Server) listBuildings(c *echo.Context) error {
	ctx := c.Request().Context()
	st, l, err := s.servedLayer(ctx, "buildings")
	if err != nil {
		return err
	}
	q, err := layerQuery(c, l, st.ID)
	if err != nil {
		return err
	}
	return s.writeScreening(c, l, st, q)
}

// studyInfo serves GET /v1/study: the served study's identity and what
// the map and the annex must show with its figures (issue 13): the
// warnings stored with it (input coherence, default heights, weather), the
// weather year used and its scale, how buildings got their commune, and
// the data sources with their licences. Paths are file names only.
func (s *Server) studyInfo(c *echo.Context) error {
	st, err := s.study(c.Request().Context())
	if err != nil {
		return storeProblem(err, "study")
	}
	var sum struct {
		Warnings     []string          `json:"warnings"`
		Weather      string            `json:"weather"`
		WeatherScale float64           `json:"weather_scale"`
		WeatherNote  string            `json:"weather_note,omitempty"`
		Communes     json.RawMessage   `json:"communes,omitempty"`
		Attribution  json.RawMessage   `json:"attribution,omitempty"`
		Inputs       map[string]string `json:"inputs"`
	}
	if len(st.Summary) > 0 {
		if err := json.Unmarshal(st.Summary, &sum); err != nil {
			return fmt.Errorf("study %s: summary: %w", st.ID, err)
		}
	}
	if sum.Warnings == nil {
		sum.Warnings = []string{}
	}
	// The map shows the warnings in French (the same translation as the
	// annex and the feature answers' scenario reference).
	fr := s.scenarioRef(st).WarningsFR
	if fr == nil {
		fr = []string{}
	}
	return c.JSON(http.StatusOK, map[string]any{"study_id": st.ID, "name": st.Name, "scenario_hash": st.ScenarioHash,
		"created_at": st.CreatedAt, "warnings": sum.Warnings, "warnings_fr": fr, "weather": sum.Weather, "weather_scale": sum.WeatherScale,
		"weather_note": sum.WeatherNote, "communes": sum.Communes, "attribution": sum.Attribution, "inputs": sum.Inputs})
}
