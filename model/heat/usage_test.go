package heat

import (
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

func TestResolveUseRules(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name   string
		a      BuildingAttrs
		use    UseClass
		source string
		heated bool
	}{
		{"usage1 residential", BuildingAttrs{Usage1: "Résidentiel", Dwellings: -1, Storeys: -1, FootprintM2: 15, HeightM: nan, Elongation: nan}, UseClassResidential, "usage1", true},
		{"usage1 annexe", BuildingAttrs{Usage1: "Annexe", Dwellings: -1, Storeys: -1, FootprintM2: 200, HeightM: 6, Elongation: nan}, UseClassUnheated, "usage1", false},
		{"usage2 when indifférencié", BuildingAttrs{Usage1: "Indifférencié", Usage2: "Commercial et services", Dwellings: -1, Storeys: -1, FootprintM2: 300, HeightM: 9, Elongation: nan}, UseClassTertiary, "usage2", true},
		{"religious", BuildingAttrs{Usage1: "Religieux", Dwellings: -1, Storeys: -1, FootprintM2: 600, HeightM: 20, Elongation: nan}, UseClassUnheated, "usage1", false},
		{"industrial", BuildingAttrs{Usage1: "Industriel", Dwellings: -1, Storeys: -1, FootprintM2: 2000, HeightM: 8, Elongation: nan}, UseClassIndustrial, "usage1", true},
		{"BDNB label", BuildingAttrs{Usage1: "Résidentiel collectif", Dwellings: 12, Storeys: 5, FootprintM2: 300, HeightM: 16, Elongation: nan}, UseClassResidential, "usage1", true},
		{"dwellings only", BuildingAttrs{Dwellings: 2, Storeys: -1, FootprintM2: 25, HeightM: nan, Elongation: nan}, UseClassResidential, "dwellings", true},
		{"small annex", BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 24, HeightM: 2.5, Elongation: nan}, UseClassUnheated, "annex_small", false},
		{"low annex", BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 45, HeightM: 2.8, Elongation: nan}, UseClassUnheated, "annex_low", false},
		{"row of garages", BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 120, HeightM: 3.5, Elongation: 6}, UseClassUnheated, "annex_row", false},
		{"hall", BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 700, HeightM: 6.5, Elongation: nan}, UseClassTertiary, "hall", true},
		{"large", BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 1500, HeightM: 15, Elongation: nan}, UseClassTertiary, "large", true},
		{"house by default", BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 90, HeightM: 7.6, Elongation: nan}, UseClassResidential, "default_residential", true},
		{"tall mid-size by default", BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 700, HeightM: 15, Elongation: nan}, UseClassResidential, "default_residential", true},
	} {
		var counts UsageCounts
		r, err := ResolveUse(c.a, &counts)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if r.Use != c.use || r.UseSource != c.source || r.Heated != c.heated {
			t.Errorf("%s: %+v; want %s from %s heated=%v", c.name, r, c.use, c.source, c.heated)
		}
		var n int64
		for _, v := range counts.Snapshot() {
			n += v
		}
		if n != 4 { // use + storeys + kind + year, one each
			t.Errorf("%s: %d counts, want 4", c.name, n)
		}
	}
}

func TestResolveUseSize(t *testing.T) {
	nan := math.NaN()
	// A two-storey house measured 7.6 m to the ridge: (7.6 − 1.5)/3 → 2
	// storeys (not round(7.6/3) = 3); flat roof 9 m: 3.
	r, _ := ResolveUse(BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 90, HeightM: 7.6, Elongation: nan}, nil)
	if r.Storeys != 2 || r.StoreySource != "height" || r.MultiFamily || r.KindSource != "size" {
		t.Fatalf("house: %+v", r)
	}
	r, _ = ResolveUse(BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 200, HeightM: 9, FlatRoof: true, Elongation: nan}, nil)
	if r.Storeys != 3 || !r.MultiFamily {
		t.Fatalf("flat 9 m: %+v", r)
	}
	r, _ = ResolveUse(BuildingAttrs{Usage1: "Résidentiel", Dwellings: 2, Storeys: 4, Year: 1932, FootprintM2: 80, HeightM: nan, Elongation: nan}, nil)
	if r.Storeys != 4 || r.StoreySource != "attribute" || r.MultiFamily || r.KindSource != "dwellings" || r.Year != 1932 {
		t.Fatalf("attributes: %+v", r)
	}
	r, _ = ResolveUse(BuildingAttrs{Dwellings: -1, Storeys: -1, Year: -1, FootprintM2: 80, HeightM: nan, Elongation: nan}, nil)
	if r.Storeys != 1 || r.StoreySource != "default" || r.Year != -1 {
		t.Fatalf("no attributes: %+v", r)
	}
	if _, err := ResolveUse(BuildingAttrs{FootprintM2: 0}, nil); err == nil {
		t.Fatal("zero footprint accepted")
	}
}

func TestParseYear(t *testing.T) {
	for s, want := range map[string]int{"1932-05-01": 1932, "1975": 1975, "2004/01/01": 2004, "": -1} {
		if got, err := ParseYear(s); err != nil || got != want {
			t.Errorf("ParseYear(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"19x5", "0999", "12345"} {
		if _, err := ParseYear(s); err == nil {
			t.Errorf("ParseYear(%q) accepted", s)
		}
	}
}

// TestUsageOnPerigueuxBDNB runs the fallbacks on the real BDNB extract of
// Périgueux (10,381 buildings, footprint and height only, no use): every
// building is counted once per category and the counts are logged.
func TestUsageOnPerigueuxBDNB(t *testing.T) {
	p := shareddata.Path(t, "buildings/perigueux_24322_bdnb_buildings.geojson.gz")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Area   *float64 `json:"s_geom_cst"`
				Height *float64 `json:"hauteur"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.NewDecoder(zr).Decode(&fc); err != nil {
		t.Fatal(err)
	}
	var counts UsageCounts
	var heatedFP, allFP, houseArea float64
	var houses, skipped int
	for _, ft := range fc.Features {
		pr := ft.Properties
		if pr.Area == nil || *pr.Area <= 0 {
			skipped++
			continue
		}
		h := math.NaN()
		if pr.Height != nil {
			h = *pr.Height
		}
		r, err := ResolveUse(BuildingAttrs{Dwellings: -1, Storeys: -1, Year: -1, FootprintM2: *pr.Area, HeightM: h, Elongation: math.NaN()}, &counts)
		if err != nil {
			t.Fatal(err)
		}
		allFP += *pr.Area
		if r.Heated {
			heatedFP += *pr.Area
		}
		if r.Use == UseClassResidential && !r.MultiFamily {
			houses++
			houseArea += *pr.Area * float64(r.Storeys) * 0.80 // heated area as the existing model (net-to-gross 0.80)
		}
	}
	s := counts.Snapshot()
	total := s["use_usage1"] + s["use_usage2"] + s["use_dwellings"] + s["fallback_annex_small"] + s["fallback_annex_low"] +
		s["fallback_annex_row"] + s["fallback_hall"] + s["fallback_large"] + s["fallback_default_residential"]
	if int(total) != len(fc.Features)-skipped {
		t.Fatalf("counted %d uses for %d buildings (%d skipped without area)", total, len(fc.Features), skipped)
	}
	t.Logf("Périgueux BDNB: %d buildings (%d without area); counts %v; heated footprint %.0f of %.0f m² (%.0f %%); %d single houses, mean heated area %.0f m²",
		len(fc.Features), skipped, s, heatedFP, allFP, 100*heatedFP/allFP, houses, houseArea/float64(houses))
}

func TestUsageParamsWired(t *testing.T) {
	a := BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 25, HeightM: 6, Elongation: math.NaN()}
	p := DefaultUsageParams()
	if r, _ := p.Resolve(a, nil); r.UseSource != "annex_small" {
		t.Fatalf("default: %s", r.UseSource)
	}
	p.AnnexMaxFootprintM2 = 20
	if r, _ := p.Resolve(a, nil); r.UseSource != "default_residential" {
		t.Fatalf("annex threshold 20 m²: %s", r.UseSource)
	}
	p = DefaultUsageParams()
	p.RoofAllowanceM = 0
	if r, _ := p.Resolve(BuildingAttrs{Dwellings: -1, Storeys: -1, FootprintM2: 90, HeightM: 7.6, Elongation: math.NaN()}, nil); r.Storeys != 3 {
		t.Fatalf("no roof allowance: %d storeys, want round(7.6/3) = 3", r.Storeys)
	}
	if err := DefaultUsageParams().Validate(); err != nil {
		t.Fatal(err)
	}
	p.StoreyHeightM = math.NaN()
	if p.Validate() == nil {
		t.Fatal("NaN storey height accepted")
	}
}
