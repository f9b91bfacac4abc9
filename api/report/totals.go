package report

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Totals sums the parcels of one group (the commune, a section, an IRIS).
// NULL values are skipped and counted as missing.
type Totals struct {
	Name                string
	Parcels, Buildings  int64
	PVKWp, PVKWhYr      float64 // kWp, kWh/yr
	PVMissing           int64   // parcels without a PV figure
	HeatDemandKWhYr     float64 // kWh/yr
	ASHPParcels         int64   // parcels where an air-source heat pump can be sited
	ASHPKW              float64 // kW over those parcels
	scopWeight, scopSum float64
	GSHPParcels         int64 // parcels with at least one borehole
	GSHPBoreholes       int64
	GSHPKW              float64 // kW
	NPVPositive         int64   // parcels with NPV > 0
	NPVPositiveEUR      float64 // sum of positive NPVs, EUR
	CO2AvoidedTYr       float64 // t/yr
	// HPHeatKWhYr is the heat demand of the parcels where a heat pump (air
	// or ground source) can be sited, kWh/yr.
	HPHeatKWhYr float64
	// NPVPositiveKWp and NPVPositiveKWhYr are the PV power and production
	// of the parcels with NPV > 0.
	NPVPositiveKWp, NPVPositiveKWhYr float64
	// Sums are the sums of the report's summable columns (Report.SumCols),
	// SumsN their non-NULL counts.
	Sums  []float64
	SumsN []int64
}

// SpecificYield is the production-weighted specific yield, kWh/kWp.
func (t Totals) SpecificYield() float64 {
	if t.PVKWp == 0 {
		return math.NaN()
	}
	return t.PVKWhYr / t.PVKWp
}

// MeanSCOP is the ASHP SCOP averaged over the parcels' heat demand (the
// seasonal performance of the heat the pumps would deliver).
func (t Totals) MeanSCOP() float64 {
	if t.scopWeight == 0 {
		return math.NaN()
	}
	return t.scopSum / t.scopWeight
}

func (t *Totals) add(p Parcel) {
	if t.Sums == nil {
		t.Sums, t.SumsN = make([]float64, len(p.Sums)), make([]int64, len(p.Sums))
	}
	for i, v := range p.Sums {
		if i < len(t.Sums) && !math.IsNaN(v) {
			t.Sums[i] += v
			t.SumsN[i]++
		}
	}
	if p.HeatDemandKWhYr != nil && (ashpOK(p) || (p.GSHPBoreholes != nil && *p.GSHPBoreholes > 0)) {
		t.HPHeatKWhYr += *p.HeatDemandKWhYr
	}
	if p.NPVEUR != nil && *p.NPVEUR > 0 {
		if p.PVKWp != nil {
			t.NPVPositiveKWp += *p.PVKWp
		}
		if p.PVKWhYr != nil {
			t.NPVPositiveKWhYr += *p.PVKWhYr
		}
	}
	t.Parcels++
	t.Buildings += p.Buildings
	if p.PVKWhYr != nil {
		t.PVKWhYr += *p.PVKWhYr
		if p.PVKWp != nil {
			t.PVKWp += *p.PVKWp
		}
	} else {
		t.PVMissing++
	}
	if p.HeatDemandKWhYr != nil {
		t.HeatDemandKWhYr += *p.HeatDemandKWhYr
	}
	if ashpOK(p) {
		t.ASHPParcels++
		if p.ASHPKW != nil {
			t.ASHPKW += *p.ASHPKW
		}
		if p.ASHPSCOP != nil && p.HeatDemandKWhYr != nil {
			t.scopSum += *p.ASHPSCOP * *p.HeatDemandKWhYr
			t.scopWeight += *p.HeatDemandKWhYr
		}
	}
	if p.GSHPBoreholes != nil && *p.GSHPBoreholes > 0 {
		t.GSHPParcels++
		t.GSHPBoreholes += *p.GSHPBoreholes
		if p.GSHPKW != nil {
			t.GSHPKW += *p.GSHPKW
		}
	}
	if p.NPVEUR != nil && *p.NPVEUR > 0 {
		t.NPVPositive++
		t.NPVPositiveEUR += *p.NPVEUR
	}
	if p.CO2AvoidedKgYr != nil {
		t.CO2AvoidedTYr += *p.CO2AvoidedKgYr / 1000
	}
}

func ashpOK(p Parcel) bool { return p.ASHPSitingOK != nil && *p.ASHPSitingOK }

// Total returns the commune totals.
func (r *Report) Total() Totals {
	t := Totals{Name: r.Commune}
	for _, p := range r.Parcels {
		t.add(p)
	}
	return t
}

// GroupBy returns the totals per value of key, sorted by name, the group
// without a value ("") last (the annex names it in its language).
func (r *Report) GroupBy(key func(Parcel) string) []Totals {
	m := map[string]*Totals{}
	for _, p := range r.Parcels {
		k := key(p)
		t := m[k]
		if t == nil {
			t = &Totals{Name: k}
			m[k] = t
		}
		t.add(p)
	}
	out := make([]Totals, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Totals) int {
		if (a.Name == "") != (b.Name == "") {
			if a.Name == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// HasIRIS reports whether any parcel carries an IRIS code.
func (r *Report) HasIRIS() bool {
	for _, p := range r.Parcels {
		if p.IRIS != "" {
			return true
		}
	}
	return false
}

// frNumber formats x the French way: narrow no-break space between
// thousands, comma as decimal separator, at most dec decimals (trailing
// zeros removed). NaN and ±Inf give "—".
func frNumber(x float64, dec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if dec > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "," + frac
	}
	if neg && out != "0" {
		out = "−" + out
	}
	return out
}
