package api

import (
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
