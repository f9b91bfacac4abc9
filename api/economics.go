package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sync"

	"github.com/labstack/echo/v5"

	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

// EconomicsRequest is the body of POST /v1/economics: one rooftop system
// for the owner economics of the study (econ.OwnerEconomics with the
// default scenario's parameters, the same model as `gisement economics`
// and the study's economic potential).
type EconomicsRequest struct {
	// KWp: installed peak power (> 0, ≤ 100,000).
	KWp float64 `json:"kwp"`
	// SpecificYield: year-1 AC production per kWp, kWh/kWp (1–3,000).
	SpecificYield float64 `json:"specific_yield"`
	// Owner: household (default), business, community or farm.
	Owner string `json:"owner"`
	// SelfConsumption: "auto" (default: hourly matching of the weather
	// year's PV profile on the plane against the owner's BDEW load profile
	// scaled to AnnualUseKWh) or a share 0–1.
	SelfConsumption json.RawMessage `json:"self_consumption"`
	// AnnualUseKWh: the owner's electricity use (auto; default one
	// household's use).
	AnnualUseKWh *float64 `json:"annual_use_kwh"`
	// TiltDeg, AzimuthDeg: the plane of the PV profile (auto; default 30°,
	// 180° = south).
	TiltDeg    *float64 `json:"tilt_deg"`
	AzimuthDeg *float64 `json:"azimuth_deg"`
	// CapexEURPerKWpHT replaces the fitted capex curve (€ HT/kWp, > 0).
	CapexEURPerKWpHT *float64 `json:"capex_eur_per_kwp_ht"`
}

// economicsResponse is the answer of POST /v1/economics.
type economicsResponse struct {
	Inputs      map[string]any        `json:"inputs"`
	Result      econ.SystemResult     `json:"result"`
	Sensitivity []econ.SensitivityRow `json:"sensitivity"`
	CapexCurve  econ.CapexCurve       `json:"capex_curve"`
}

// economicsSkies caches the prepared sky of each served weather year.
var economicsSkies sync.Map // *weather.Series → *skyOnce

type skyOnce struct {
	once sync.Once
	sky  *solar.Sky
	err  error
}

func skyOf(ws *weather.Series) (*solar.Sky, error) {
	v, _ := economicsSkies.LoadOrStore(ws, &skyOnce{})
	so := v.(*skyOnce)
	so.once.Do(func() { so.sky, so.err = solar.PrepareSky(ws, solar.SkyOptions{}) })
	return so.sky, so.err
}

// economics serves POST /v1/economics.
func (s *Server) economics(c *echo.Context) error {
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var req EconomicsRequest
	if err := dec.Decode(&req); err != nil {
		return problem(http.StatusBadRequest, "Invalid body", "body: "+err.Error())
	}
	sc := model.DefaultScenario()
	m, err := econ.NewOwnerEconomics(sc.Econ.SystemParams())
	if err != nil {
		return err
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !(req.KWp > 0 && req.KWp <= 100000) {
		return badParam("kwp", fmt.Sprintf("%g: want 0 < kwp ≤ 100000", req.KWp))
	}
	if !(req.SpecificYield >= 1 && req.SpecificYield <= 3000) {
		return badParam("specific_yield", fmt.Sprintf("%g: want 1–3000 kWh/kWp", req.SpecificYield))
	}
	if req.Owner == "" {
		req.Owner = string(econ.OwnerHousehold)
	}
	owner, err := econ.ParseOwnerType(req.Owner)
	if err != nil {
		return badParam("owner", err.Error())
	}
	in := econ.SystemInput{Owner: owner, KWp: req.KWp, SpecificYield: req.SpecificYield}
	inputs := map[string]any{"kwp": req.KWp, "specific_yield": req.SpecificYield, "owner": string(owner), "scenario": sc.Hash()}
	if req.CapexEURPerKWpHT != nil {
		if v := *req.CapexEURPerKWpHT; !(v > 0 && v <= 20000) || !finite(v) {
			return badParam("capex_eur_per_kwp_ht", fmt.Sprintf("%g: want 0 < value ≤ 20000 € HT/kWp", v))
		}
		in.CapexEURPerKWpHT = *req.CapexEURPerKWpHT
		inputs["capex_eur_per_kwp_ht"] = in.CapexEURPerKWpHT
	}
	mode := "auto"
	if len(req.SelfConsumption) > 0 && string(req.SelfConsumption) != "null" {
		var share float64
		if err := json.Unmarshal(req.SelfConsumption, &mode); err != nil {
			if err := json.Unmarshal(req.SelfConsumption, &share); err != nil {
				return badParam("self_consumption", `want "auto" or a share 0–1`)
			}
			if !(share >= 0 && share <= 1) {
				return badParam("self_consumption", fmt.Sprintf("%g: want a share 0–1", share))
			}
			in.SelfConsumptionShare, mode = &share, "given"
		} else if mode != "auto" {
			return badParam("self_consumption", fmt.Sprintf("%q: want \"auto\" or a share 0–1", mode))
		}
	}
	inputs["self_consumption"] = mode
	if mode == "auto" {
		if err := s.economicsProfile(&in, &req, inputs, sc.Econ.PV.HouseholdAnnualUseKWh.Value, sc); err != nil {
			return err
		}
	}
	res, err := m.Evaluate(in)
	if err != nil {
		if errors.Is(err, econ.ErrSystemInput) {
			return problem(http.StatusUnprocessableEntity, "Invalid system", err.Error())
		}
		return err
	}
	rows, err := m.Sensitivity(in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, economicsResponse{Inputs: inputs, Result: res, Sensitivity: rows, CapexCurve: m.Curve})
}

// economicsProfile sets the hourly PV profile and load of an "auto"
// request (the served weather year on the plane, the owner's BDEW profile).
func (s *Server) economicsProfile(in *econ.SystemInput, req *EconomicsRequest, inputs map[string]any, household float64, sc *model.Scenario) error {
	if s.o.Weather == nil {
		return problem(http.StatusServiceUnavailable, "No weather year", `self_consumption "auto" needs the server's weather year (gisement serve --weather); give a share 0–1 instead`)
	}
	tilt, az := 30.0, 180.0
	if req.TiltDeg != nil {
		tilt = *req.TiltDeg
	}
	if req.AzimuthDeg != nil {
		az = *req.AzimuthDeg
	}
	if !(tilt >= 0 && tilt <= 90) {
		return badParam("tilt_deg", fmt.Sprintf("%g: want 0–90°", tilt))
	}
	if !(az >= 0 && az <= 360) {
		return badParam("azimuth_deg", fmt.Sprintf("%g: want 0–360° clockwise from north", az))
	}
	annual := household
	if in.Owner != econ.OwnerHousehold && req.AnnualUseKWh == nil {
		return badParam("annual_use_kwh", "required for a non-household owner with self_consumption \"auto\"")
	}
	if req.AnnualUseKWh != nil {
		annual = *req.AnnualUseKWh
	}
	if !(annual > 0 && annual <= 1e9) {
		return badParam("annual_use_kwh", fmt.Sprintf("%g: want 0 < kWh/yr ≤ 1e9", annual))
	}
	sky, err := skyOf(s.o.Weather)
	if err != nil {
		return problem(http.StatusServiceUnavailable, "Weather year unusable", err.Error())
	}
	shape, err := pv.HourlyProfileCET(sky, sc.PV.System(), tilt, az)
	if err != nil {
		return problem(http.StatusUnprocessableEntity, "No PV production", err.Error())
	}
	prof, err := econ.EmbeddedBDEWProfile(in.Owner.LoadProfileKind())
	if err != nil {
		return err
	}
	load, err := prof.HourlyLoad(2025, annual)
	if err != nil {
		return badParam("annual_use_kwh", err.Error())
	}
	if len(load) > len(shape) {
		load = load[:len(shape)]
	}
	in.PVProfile, in.Load = shape, load
	inputs["annual_use_kwh"], inputs["tilt_deg"], inputs["azimuth_deg"] = annual, tilt, az
	inputs["load_profile"] = "BDEW " + string(in.Owner.LoadProfileKind())
	return nil
}
