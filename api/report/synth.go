package report

import (
	"math"
	"strings"

	"github.com/gisement/gisement/data"
)

// sigFigs is the precision of the annex's figures: planning documents give
// 2–3 significant figures (a rooftop potential is known to ±10–20 %, the
// uncertainty section of the scenario).
const sigFigs = 3

// qty formats a quantity x in unit for reading: scaled (kWh/yr → MWh/yr →
// GWh/yr, kWp → MWp, kg CO₂ → t) and rounded to sigFigs significant
// figures; NaN gives the "not available" mark of lang. It returns the
// number and the display unit apart.
func qty(x float64, unit, lang string) (value, u string) {
	f, su := data.ScaleUnit(x, unit)
	u, _ = data.UnitLabel(su, lang)
	return numSig(x/f, lang), u
}

// numSig writes x with sigFigs significant figures in lang's number format.
func numSig(x float64, lang string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return na(lang)
	}
	r, dec := data.SignificantDecimals(x, sigFigs)
	return numLang(r, dec, lang)
}

// numLang writes x with at most dec decimals in lang's number format.
func numLang(x float64, dec int, lang string) string {
	if lang == data.English {
		s := frNumber(x, dec)
		s = strings.NewReplacer("\u202f", ",", ",", ".", "−", "-").Replace(s)
		return s
	}
	return frNumber(x, dec)
}

// na is the mark of a figure the study does not have.
func na(lang string) string {
	if lang == data.English {
		return "n/a"
	}
	return "n.d."
}

// figure is one line of the synthesis.
type figure struct {
	Label, Value, Unit, Note string
	NA                       bool
}

// sumCol returns the index in r.SumCols of the first summable column
// accepted by match (-1 for none).
func (r *Report) sumCol(match func(c data.Column) bool) int {
	for i, c := range r.SumCols {
		if match(c) {
			return i
		}
	}
	return -1
}

func nameHas(c data.Column, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(c.Name, p) {
			return false
		}
	}
	return true
}

// Synthesis returns the key figures of the commune: rooftop PV technical and
// economic potential (power and production), heat need and consumption,
// the share of the heat demand on parcels where a heat pump can be
// sited, heat-pump power and CO₂ avoided. The columns are found in the
// stored layer by name and unit, so a study that stores a technical or
// economic potential, or a conventional need beside the consumption, gets
// its own line; a figure the study does not have reads "n.d." ("n/a").
func (r *Report) Synthesis(t Totals) []figure {
	lang := r.Lang
	var out []figure
	col := func(label string, i int, note string) {
		f := figure{Label: label, Note: note}
		if i < 0 || t.SumsN == nil || t.SumsN[i] == 0 {
			f.Value, f.NA = na(lang), true
			return
		}
		f.Value, f.Unit = qty(t.Sums[i], r.SumCols[i].Unit, lang)
		out = append(out, f)
	}
	line := func(label string, i int, note string) {
		n := len(out)
		col(label, i, note)
		if len(out) == n { // not available: keep the line
			out = append(out, figure{Label: label, Value: na(lang), NA: true, Note: note})
		}
	}
	unitIs := func(u string) func(c data.Column) bool { return func(c data.Column) bool { return c.Unit == u } }
	and := func(a, b func(c data.Column) bool) func(c data.Column) bool {
		return func(c data.Column) bool { return a(c) && b(c) }
	}
	pvTech := func(u string) int {
		if i := r.sumCol(and(unitIs(u), func(c data.Column) bool { return nameHas(c, "pv_", "techn") })); i >= 0 {
			return i
		}
		// The rooftop columns are the technical potential: the planes the
		// scenario keeps, before any economic criterion.
		return r.sumCol(func(c data.Column) bool { return c.Unit == u && (c.Name == "pv_kwp" || c.Name == "pv_kwh_yr") })
	}
	pvEcon := func(u string) int {
		return r.sumCol(and(unitIs(u), func(c data.Column) bool { return nameHas(c, "pv_", "econ") }))
	}
	line(tr("syn.pv_tech_kwp", lang), pvTech("kWp"), "")
	line(tr("syn.pv_tech_kwh", lang), pvTech("kWh/yr"), "")
	line(tr("syn.pv_econ_kwp", lang), pvEcon("kWp"), "")
	line(tr("syn.pv_econ_kwh", lang), pvEcon("kWh/yr"), "")
	if r.sumCol(func(c data.Column) bool { return c.Name == "npv_eur" }) >= 0 {
		v, u := qty(t.NPVPositiveKWp, "kWp", lang)
		out = append(out, figure{Label: tr("syn.npv_pos_kwp", lang), Value: v, Unit: u, Note: tr("syn.npv_pos_note", lang)})
		v, u = qty(t.NPVPositiveKWhYr, "kWh/yr", lang)
		out = append(out, figure{Label: tr("syn.npv_pos_kwh", lang), Value: v, Unit: u, Note: tr("syn.npv_pos_note", lang)})
	}
	// Heat: the conventional need and the consumption-like demand, each
	// labelled by the study's own schema.
	need := r.sumCol(func(c data.Column) bool { return c.Unit == "kWh/yr" && nameHas(c, "heat_", "need") })
	demand := r.sumCol(func(c data.Column) bool { return c.Name == "heat_demand_kwh_yr" })
	label := func(i int, fallback string) string {
		if i >= 0 {
			return r.SumCols[i].Title(lang)
		}
		return tr(fallback, lang)
	}
	line(label(need, "syn.heat_need"), need, "")
	line(label(demand, "syn.heat_demand"), demand, "")
	if demand >= 0 && t.HeatDemandKWhYr > 0 {
		out = append(out, figure{Label: tr("syn.hp_cover", lang), Value: numSig(100*t.HPHeatKWhYr/t.HeatDemandKWhYr, lang), Unit: "%",
			Note: tr("syn.hp_cover_note", lang)})
	} else {
		out = append(out, figure{Label: tr("syn.hp_cover", lang), Value: na(lang), NA: true})
	}
	// Heat-pump power on the parcels where one can be sited (Totals sums
	// the air-source power over the sited parcels only).
	if r.sumCol(func(c data.Column) bool { return c.Name == "ashp_kw" || c.Name == "gshp_kw" }) >= 0 {
		v, u := qty(t.ASHPKW+t.GSHPKW, "kW", lang)
		out = append(out, figure{Label: tr("syn.hp_kw", lang), Value: v, Unit: u})
	} else {
		out = append(out, figure{Label: tr("syn.hp_kw", lang), Value: na(lang), NA: true})
	}
	line(tr("syn.co2", lang), r.sumCol(func(c data.Column) bool { return c.Name == "co2_avoided_kg_yr" }), tr("syn.co2_note", lang))
	return out
}

// OtherTotals returns the commune's sum of every other summable column of
// the stored layer (label and unit from the study schema), so that a
// column a study adds appears in the annex without a change here.
func (r *Report) OtherTotals(t Totals) []figure {
	shown := map[string]bool{"pv_kwp": true, "pv_kwh_yr": true, "heat_demand_kwh_yr": true, "co2_avoided_kg_yr": true}
	var out []figure
	for i, c := range r.SumCols {
		if shown[c.Name] || nameHas(c, "pv_", "techn") || nameHas(c, "pv_", "econ") || nameHas(c, "heat_", "need") {
			continue
		}
		f := figure{Label: c.Title(r.Lang)}
		if t.SumsN == nil || t.SumsN[i] == 0 {
			f.Value, f.NA = na(r.Lang), true
		} else {
			f.Value, f.Unit = qty(t.Sums[i], c.Unit, r.Lang)
		}
		out = append(out, f)
	}
	return out
}
