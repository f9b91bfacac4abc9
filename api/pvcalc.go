package api

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/solar"
)

// PVcalc: a PVGIS 5.x PVcalc-compatible answer (same parameter names, same
// JSON shape: inputs / outputs.monthly.fixed[] / outputs.totals.fixed / meta;
// see testdata/pvgis_pvcalc_example.json), computed offline with our solar
// core in its "pvgis" model (Martin–Ruiz IAM, Faiman temperature, Huld 2011
// c-Si power, one system loss), exactly as `gisement pv --model pvgis` does.
//
// Approximation (also stated in the response's meta.approximation): PVGIS
// simulates the requested point with its satellite time series; we simulate
// the configured weather year at ITS site (sun positions and sky of that
// site) and, when an irradiation field is configured, multiply every energy
// and irradiation by field(lon, lat) / field(weather site) — a linear
// scaling that ignores the change of sun geometry, temperature and diffuse
// fraction between the two places. Without a field the numbers are those of
// the weather site. SD_m / SD_y (year-to-year variability) cannot be derived
// from one weather year and are null; l_spec (spectral effects, not
// modelled) is "?(0)" as PVGIS writes it when it has none.

type pvValue struct {
	Value   float64 `json:"value"`
	Optimal bool    `json:"optimal"`
}

type pvInputs struct {
	Location struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Elevation float64 `json:"elevation"`
	} `json:"location"`
	MeteoData struct {
		RadiationDB string  `json:"radiation_db"`
		MeteoDB     string  `json:"meteo_db"`
		YearMin     int     `json:"year_min"`
		YearMax     int     `json:"year_max"`
		UseHorizon  bool    `json:"use_horizon"`
		HorizonDB   *string `json:"horizon_db"`
	} `json:"meteo_data"`
	MountingSystem struct {
		Fixed struct {
			Slope   pvValue `json:"slope"`
			Azimuth pvValue `json:"azimuth"`
			Type    string  `json:"type"`
		} `json:"fixed"`
	} `json:"mounting_system"`
	PVModule struct {
		Technology string  `json:"technology"`
		PeakPower  float64 `json:"peak_power"`
		SystemLoss float64 `json:"system_loss"`
	} `json:"pv_module"`
	EconomicData struct {
		SystemCost *float64 `json:"system_cost"`
		Interest   *float64 `json:"interest"`
		Lifetime   *float64 `json:"lifetime"`
	} `json:"economic_data"`
}

type pvMonth struct {
	Month int      `json:"month"`
	Ed    float64  `json:"E_d"`
	Em    float64  `json:"E_m"`
	Hid   float64  `json:"H(i)_d"`
	Him   float64  `json:"H(i)_m"`
	SDm   *float64 `json:"SD_m"`
}

type pvTotals struct {
	Ed     float64  `json:"E_d"`
	Em     float64  `json:"E_m"`
	Ey     float64  `json:"E_y"`
	Hid    float64  `json:"H(i)_d"`
	Him    float64  `json:"H(i)_m"`
	Hiy    float64  `json:"H(i)_y"`
	SDm    *float64 `json:"SD_m"`
	SDy    *float64 `json:"SD_y"`
	LAOI   float64  `json:"l_aoi"`
	LSpec  string   `json:"l_spec"`
	LTG    float64  `json:"l_tg"`
	LTotal float64  `json:"l_total"`
}

// PVCalcResponse is the JSON answer of /v1/pvcalc (PVGIS PVcalc shape).
type PVCalcResponse struct {
	Inputs  pvInputs `json:"inputs"`
	Outputs struct {
		Monthly struct {
			Fixed []pvMonth `json:"fixed"`
		} `json:"monthly"`
		Totals struct {
			Fixed pvTotals `json:"fixed"`
		} `json:"totals"`
	} `json:"outputs"`
	Meta map[string]any `json:"meta"`
}

// PVCalcParams are the parsed PVcalc parameters.
type PVCalcParams struct {
	LatDeg, LonDeg   float64
	PeakPowerKW      float64
	LossPct          float64
	AngleDeg         float64 // tilt from horizontal
	AspectDeg        float64 // PVGIS: 0 = south, -90 = east, 90 = west
	Mounting         solar.Mounting
	OutputFormat     string
	UseHorizon       bool
	UserHorizon      *solar.Horizon
	MountingPlaceArg string
}

// AzimuthDeg is our azimuth convention (clockwise from north, 180 = south).
func (p PVCalcParams) AzimuthDeg() float64 { return math.Mod(p.AspectDeg+180+360, 360) }

func floatParam(c *echo.Context, name string, def float64, required bool, lo, hi float64) (float64, error) {
	v := c.QueryParam(name)
	if v == "" {
		if required {
			return 0, badParam(name, "required")
		}
		return def, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, badParam(name, fmt.Sprintf("%q is not a finite number", v))
	}
	if x < lo || x > hi {
		return 0, badParam(name, fmt.Sprintf("%g not in [%g, %g]", x, lo, hi))
	}
	return x, nil
}

func parsePVCalc(c *echo.Context) (PVCalcParams, error) {
	var p PVCalcParams
	var err error
	if p.LatDeg, err = floatParam(c, "lat", 0, true, -90, 90); err != nil {
		return p, err
	}
	if p.LonDeg, err = floatParam(c, "lon", 0, true, -180, 180); err != nil {
		return p, err
	}
	if p.PeakPowerKW, err = floatParam(c, "peakpower", 0, true, 0, 1e6); err != nil {
		return p, err
	}
	if p.PeakPowerKW <= 0 {
		return p, badParam("peakpower", "must be > 0 kWp")
	}
	if p.LossPct, err = floatParam(c, "loss", 0, true, 0, 100); err != nil {
		return p, err
	}
	if p.LossPct >= 100 {
		return p, badParam("loss", "must be < 100 %")
	}
	if p.AngleDeg, err = floatParam(c, "angle", 0, false, 0, 90); err != nil {
		return p, err
	}
	if p.AspectDeg, err = floatParam(c, "aspect", 0, false, -180, 180); err != nil {
		return p, err
	}
	p.MountingPlaceArg = c.QueryParamOr("mountingplace", "free")
	switch p.MountingPlaceArg {
	case "free":
		p.Mounting = solar.MountFree
	case "building":
		p.Mounting = solar.MountRoof
	default:
		return p, badParam("mountingplace", "want free or building")
	}
	p.OutputFormat = c.QueryParamOr("outputformat", "csv")
	switch p.OutputFormat {
	case "json", "csv", "basic":
	default:
		return p, badParam("outputformat", "want json, csv or basic")
	}
	switch c.QueryParamOr("usehorizon", "1") {
	case "1":
		p.UseHorizon = true
	case "0":
	default:
		return p, badParam("usehorizon", "want 0 or 1")
	}
	if t := c.QueryParamOr("pvtechchoice", "crystSi"); t != "crystSi" {
		return p, badParam("pvtechchoice", "only crystSi is modelled")
	}
	if v := c.QueryParam("userhorizon"); v != "" && p.UseHorizon {
		parts := strings.Split(v, ",")
		if len(parts) > 360 {
			return p, badParam("userhorizon", "at most 360 directions")
		}
		h := &solar.Horizon{ElevationDeg: make([]float64, len(parts))}
		for i, s := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || !(x >= 0 && x <= 90) {
				return p, badParam("userhorizon", fmt.Sprintf("value %d %q not a number in [0, 90] degrees", i+1, s))
			}
			h.ElevationDeg[i] = x
		}
		p.UserHorizon = h
	}
	return p, nil
}

// daysInMonth for a non-leap (typical) year.
var daysInMonth = [12]float64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// PVCalc computes the PVcalc answer for p (exported for the parity test and
// other callers). It fails when no weather year is configured.
func (s *Server) PVCalc(p PVCalcParams) (PVCalcResponse, error) {
	var r PVCalcResponse
	if s.sky == nil {
		return r, problem(http.StatusServiceUnavailable, "PVcalc unavailable", "this server has no weather year configured (gisement serve --weather FILE)")
	}
	pi := pv.PointInput{LatDeg: p.LatDeg, LonDeg: p.LonDeg, PeakPowerKW: p.PeakPowerKW, LossPct: p.LossPct,
		TiltDeg: p.AngleDeg, AzimuthDeg: p.AzimuthDeg(), Mounting: p.Mounting, Horizon: p.UserHorizon}
	// Scaling to (lat, lon): H(point) / H(the weather year's own), from the
	// irradiance grid when configured, else the per-commune field.
	var err error
	switch {
	case s.o.Climate != nil:
		pi.MonthScale, pi.ScaleNote, err = pv.GridMonthScales(s.o.Climate, s.weather, p.LatDeg, p.LonDeg)
	case s.o.Irradiation != nil:
		pi.MonthScale, pi.ScaleNote, err = pv.MonthScales(s.o.Irradiation, s.weather, p.LatDeg, p.LonDeg)
	}
	switch {
	case errors.Is(err, pv.ErrNoIrradiance):
		return r, problem(http.StatusUnprocessableEntity, "No irradiance at this point", err.Error())
	case err != nil:
		return r, problem(http.StatusServiceUnavailable, "PVcalc unavailable", err.Error())
	}
	res, err := pv.PointCalc(s.sky, pi)
	if err != nil {
		return r, problem(http.StatusBadRequest, "Invalid parameters", err.Error())
	}

	in := &r.Inputs
	in.Location.Latitude, in.Location.Longitude, in.Location.Elevation = p.LatDeg, p.LonDeg, round2(s.sky.ElevationM)
	src := fmt.Sprintf("%s (%s)", s.weather.Source, s.weather.Format)
	in.MeteoData.RadiationDB, in.MeteoData.MeteoDB = src, src
	in.MeteoData.YearMin, in.MeteoData.YearMax = s.yearRange()
	horizonNote := "usehorizon=0: no horizon"
	if p.UseHorizon {
		if p.UserHorizon != nil {
			in.MeteoData.UseHorizon = true
			db := "user"
			in.MeteoData.HorizonDB = &db
			horizonNote = fmt.Sprintf("user horizon, %d directions", len(p.UserHorizon.ElevationDeg))
		} else {
			horizonNote = "usehorizon=1 requested but no horizon data is available offline: computed WITHOUT horizon shading (give userhorizon to use one)"
		}
	}
	fx := &in.MountingSystem.Fixed
	fx.Slope, fx.Azimuth = pvValue{Value: p.AngleDeg}, pvValue{Value: p.AspectDeg}
	fx.Type = "free-standing"
	if p.Mounting == solar.MountRoof {
		fx.Type = "building-integrated"
	}
	in.PVModule.Technology, in.PVModule.PeakPower, in.PVModule.SystemLoss = "c-Si", p.PeakPowerKW, p.LossPct

	r.Outputs.Monthly.Fixed = make([]pvMonth, 12)
	for i, m := range res.Monthly {
		r.Outputs.Monthly.Fixed[i] = pvMonth{Month: m.Month, Ed: round2(m.EnergyKWh / daysInMonth[i]), Em: round2(m.EnergyKWh),
			Hid: round2(m.POAKWhM2 / daysInMonth[i]), Him: round2(m.POAKWhM2)}
	}
	ey, hy := res.EnergyKWh, res.POAKWhM2
	t := &r.Outputs.Totals.Fixed
	t.Ed, t.Em, t.Ey = round2(ey/365), round2(ey/12), round2(ey)
	t.Hid, t.Him, t.Hiy = round2(hy/365), round2(hy/12), round2(hy)
	t.LAOI, t.LSpec, t.LTG, t.LTotal = round2(-res.IAMLossPct), "?(0)", round2(-res.TemperatureLossPct), round2(res.TotalLossPct)
	r.Meta = map[string]any{
		"inputs": map[string]any{
			"location":        map[string]any{"description": "Selected location; elevation is the weather site's"},
			"meteo_data":      map[string]any{"description": "Weather year used (offline; not PVGIS's satellite series)"},
			"mounting_system": map[string]any{"description": "Mounting system", "choices": "fixed", "fields": map[string]any{"slope": map[string]string{"units": "degree"}, "azimuth": map[string]string{"description": "Orientation (azimuth) angle (0 = S, 90 = W, -90 = E)", "units": "degree"}}},
			"pv_module":       map[string]any{"description": "PV module parameters"},
		},
		"outputs": map[string]any{
			"monthly": map[string]any{"type": "time series", "timestamp": "monthly totals of the weather year"},
			"totals":  map[string]any{"type": "time series totals"},
		},
		"engine":             "gisement (offline, model pvgis: Martin-Ruiz IAM, Faiman temperature, Huld 2011 c-Si)",
		"approximation":      "the weather year of one site is simulated at that site (sun and sky of the weather site); " + res.ScaleNote,
		"horizon":            horizonNote,
		"weather_site":       map[string]float64{"latitude": s.sky.LatDeg, "longitude": s.sky.LonDeg, "elevation": s.sky.ElevationM},
		"scale_factor":       res.Scale,
		"not_available":      "SD_m and SD_y (year-to-year variability) need several years: null; l_spec (spectral loss) is not modelled: \"?(0)\"",
		"azimuth_convention": "aspect as PVGIS (0 = south, -90 = east, 90 = west); internal azimuth = aspect + 180 clockwise from north",
	}
	if p.MountingPlaceArg == "building" {
		r.Meta["mounting_note"] = "building: Faiman coefficients of a roof-mounted (poorly ventilated) module"
	}
	return r, nil
}

func (s *Server) yearRange() (int, int) {
	rs := s.weather.Records
	if len(rs) == 0 {
		return 0, 0
	}
	return recordYear(rs[0].Start), recordYear(rs[len(rs)-1].Start)
}

func recordYear(t time.Time) int { return t.Year() }

// pvcalc serves GET /v1/pvcalc.
func (s *Server) pvcalc(c *echo.Context) error {
	p, err := parsePVCalc(c)
	if err != nil {
		return err
	}
	if err := s.checkPVCalcCoverage(p.LatDeg, p.LonDeg); err != nil { // limits.go
		return err
	}
	r, err := s.PVCalc(p)
	if err != nil {
		return err
	}
	switch p.OutputFormat {
	case "json":
		return writeJSON(c, http.StatusOK, "application/json", r)
	case "basic":
		return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(pvBasic(r)))
	}
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(pvCSV(r)))
}

func pvRows(r PVCalcResponse, b *strings.Builder) {
	for _, m := range r.Outputs.Monthly.Fixed {
		fmt.Fprintf(b, "%d\t\t%.2f\t\t%.2f\t\t%.2f\t\t%.2f\t\t\n", m.Month, m.Ed, m.Em, m.Hid, m.Him)
	}
}

// pvCSV mimics PVGIS's csv output (a header block, the monthly table, totals).
func pvCSV(r PVCalcResponse) string {
	var b strings.Builder
	in := r.Inputs
	fmt.Fprintf(&b, "Latitude (decimal degrees):\t%.3f\nLongitude (decimal degrees):\t%.3f\n", in.Location.Latitude, in.Location.Longitude)
	fmt.Fprintf(&b, "Radiation database:\t%s\n", in.MeteoData.RadiationDB)
	fmt.Fprintf(&b, "Nominal power of the PV system (c-Si) (kWp):\t%g\nSystem losses (%%):\t%g\n", in.PVModule.PeakPower, in.PVModule.SystemLoss)
	fmt.Fprintf(&b, "Fixed slope of modules (deg.):\t%g\nOrientation (azimuth) of modules (deg.):\t%g\n\n", in.MountingSystem.Fixed.Slope.Value, in.MountingSystem.Fixed.Azimuth.Value)
	b.WriteString("Fixed angle\nMonth\t\tE_d\t\tE_m\t\tH(i)_d\t\tH(i)_m\t\tSD_m\n")
	pvRows(r, &b)
	t := r.Outputs.Totals.Fixed
	fmt.Fprintf(&b, "\nE_d\t%.2f\nE_m\t%.2f\nE_y\t%.2f\nH(i)_d\t%.2f\nH(i)_m\t%.2f\nH(i)_y\t%.2f\n", t.Ed, t.Em, t.Ey, t.Hid, t.Him, t.Hiy)
	fmt.Fprintf(&b, "l_aoi\t%.2f\nl_spec\t%s\nl_tg\t%.2f\nl_total\t%.2f\n", t.LAOI, t.LSpec, t.LTG, t.LTotal)
	fmt.Fprintf(&b, "\nNote:\t%s\n", r.Meta["approximation"])
	return b.String()
}

// pvBasic is PVGIS's "basic" output: the monthly rows only.
func pvBasic(r PVCalcResponse) string {
	var b strings.Builder
	pvRows(r, &b)
	return b.String()
}
