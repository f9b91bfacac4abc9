package api

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/econ"
)

// POST /v1/economics answers the study's owner model: a given share must
// equal econ.OwnerEconomics.Evaluate with the default scenario's
// parameters; "auto" self-consumes no more than the load and less than the
// production; bad input is problem+json naming the field.
func TestAPIEconomics(t *testing.T) {
	s, _ := pvServer(t, nil)
	h := s
	r := do(t, h, http.MethodPost, "/v1/economics", `{"kwp": 6, "specific_yield": 1200, "self_consumption": 0.4}`)
	if r.Code != http.StatusOK {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	var out struct {
		Result      map[string]any   `json:"result"`
		Sensitivity []map[string]any `json:"sensitivity"`
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatal(err)
	}
	m, err := econ.NewOwnerEconomics(model.DefaultScenario().Econ.SystemParams())
	if err != nil {
		t.Fatal(err)
	}
	sh := 0.4
	want, err := m.Evaluate(econ.SystemInput{Owner: econ.OwnerHousehold, KWp: 6, SpecificYield: 1200, SelfConsumptionShare: &sh})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Result["npv_eur"].(float64); math.Abs(got-want.NPVEUR) > 1e-6 {
		t.Errorf("NPV %g, want the owner model's %g", got, want.NPVEUR)
	}
	if len(out.Sensitivity) < 5 {
		t.Errorf("sensitivity rows %d", len(out.Sensitivity))
	}

	r = do(t, h, http.MethodPost, "/v1/economics", `{"kwp": 9, "specific_yield": 1250, "self_consumption": "auto", "annual_use_kwh": 4700}`)
	if r.Code != http.StatusOK {
		t.Fatalf("auto: %d %s", r.Code, r.Body)
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatal(err)
	}
	self, load, prod := out.Result["self_consumed_kwh_yr1"].(float64), out.Result["load_kwh_yr"].(float64), out.Result["production_kwh_yr1"].(float64)
	t.Logf("9 kWp household at 1,250 kWh/kWp: self-consumed %.0f of %.0f kWh (load %.0f), NPV %.0f €", self, prod, load, out.Result["npv_eur"])
	if !(self > 0 && self <= load && self < prod) {
		t.Errorf("auto: self-consumed %g, load %g, production %g", self, load, prod)
	}

	for body, field := range map[string]string{
		`{"kwp": -1, "specific_yield": 1200}`:                           "kwp",
		`{"kwp": 6, "specific_yield": 1200, "owner": "bank"}`:           "owner",
		`{"kwp": 6, "specific_yield": 1200, "self_consumption": 1.5}`:   "self_consumption",
		`{"kwp": 6, "specific_yield": 1200, "self_consumption": "max"}`: "self_consumption",
		`{"kwp": 6, "specific_yield": 1200, "owner": "business"}`:       "annual_use_kwh",
		`{"kwp": 6, "specific_yield": 1200, "tilt_deg": 95}`:            "tilt_deg",
		`{"kwp": 6, "specific_yield": 1200, "colour": "red"}`:           "colour",
		`{"kwp": 6`: "",
	} {
		r := do(t, h, http.MethodPost, "/v1/economics", body)
		if r.Code != http.StatusBadRequest || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") || !strings.Contains(string(r.Body), field) {
			t.Errorf("%s: %d %s %s, want 400 problem+json naming %q", body, r.Code, r.Header.Get("Content-Type"), r.Body, field)
		}
	}
}

// FuzzAPIEconomics: any body gets 200 or a 4xx/503 problem, never a 500.
func FuzzAPIEconomics(f *testing.F) {
	for _, b := range []string{`{"kwp": 6, "specific_yield": 1200}`, `{"kwp": 1e308, "specific_yield": 1e-308, "self_consumption": "auto"}`,
		`{"kwp": 6, "specific_yield": 1200, "self_consumption": [1]}`, `{"kwp": "6"}`, `null`, `{"kwp": 6, "specific_yield": 900, "owner": "farm", "annual_use_kwh": 0}`} {
		f.Add(b)
	}
	s := newServer(f, func(o *Options) { o.Weather = sampleWeather(f) })
	f.Fuzz(func(t *testing.T, body string) {
		if body == "" {
			return
		}
		r := do(t, s, http.MethodPost, "/v1/economics", body)
		if r.Code >= 500 && r.Code != http.StatusServiceUnavailable {
			t.Fatalf("%q: %d %s", body, r.Code, r.Body)
		}
	})
}
