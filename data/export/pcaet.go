package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/gisement/gisement/data"
)

// This file builds the figures a PCAET or SCoT energy diagnostic needs per
// commune and per EPCI (établissement public de coopération intercommunale):
// the potential by technology, the heat demand and the part of it heat
// pumps can cover, with units in the headings, as a tidy CSV (one row per
// territory and indicator) and as a spreadsheet (WriteXLSX). The
// indicators are the summable columns of the study's communes layer (so a
// column a newer study adds appears without a change here), converted to
// the units of territorial diagnostics (MWh/an, MWc, MW, t CO₂e/an), plus
// the heat-pump coverage computed from the parcels.

// Indicator is one figure of the diagnostic.
type Indicator struct {
	Key      string     // column name (or derived key)
	Label    data.Label // French and English label
	Unit     string     // unit symbol of the values (data.UnitLabel gives its display form)
	Decimals int        // decimals kept
	factor   float64    // stored value / factor = value in Unit
	ratio    [2]string  // derived ratio in %: 100 × sum(num) / sum(den) keys
}

// Heading is the label followed by the display unit in lang, e.g.
// "Production PV annuelle (MWh/an)".
func (i Indicator) Heading(lang string) string {
	h := i.Label.In(lang)
	if u, _ := data.UnitLabel(i.Unit, lang); u != "" {
		h += " (" + u + ")"
	}
	return h
}

// Area is one territory of the diagnostic: a commune or an EPCI.
type Area struct {
	Level      string    // "commune" or "epci"
	Code, Name string    // INSEE code (commune) or SIREN (EPCI)
	Values     []float64 // per Indicator; NaN when not available
}

// PCAET is the diagnostic of a study: its indicators and its communes then
// EPCIs.
type PCAET struct {
	Study      string
	Indicators []Indicator
	Areas      []Area
}

// pcaetUnits converts the storage units of the communes layer to those of
// territorial diagnostics (the PCAET decree's "diagnostic" counts energy
// in MWh or GWh and emissions in t CO₂e: décret n° 2016-849 du 28 juin
// 2016 and arrêté du 4 août 2016 relatif au PCAET).
var pcaetUnits = map[string]struct {
	unit   string
	factor float64
	dec    int
}{
	"kWh/yr":    {"MWh/yr", 1e3, 1},
	"kWp":       {"MWp", 1e3, 3},
	"kW":        {"MW", 1e3, 3},
	"kgCO2e/yr": {"tCO2e/yr", 1e3, 1},
	"EUR":       {"kEUR", 1e3, 1},
	"m2":        {"m2", 1, 0},
	"":          {"", 1, 0},
}

// EPCI is the intercommunality a commune belongs to.
type EPCI struct{ Code, Name string }

// BuildPCAET reads the communes layer of a study (l: the stored layer with
// the study schema's reading facts) and the parcels (for the heat-pump
// coverage), and aggregates the communes into EPCIs with epci (commune
// INSEE code → EPCI; nil = communes only). Communes absent from epci are
// listed as such and counted in no EPCI; the function returns their codes.
func BuildPCAET(ctx context.Context, s data.Store, l data.Layer, studyID string, epci map[string]EPCI) (*PCAET, []string, error) {
	p := &PCAET{Study: studyID}
	var cols []int
	for i, c := range l.Columns {
		if !c.Flags.Has(data.Summable) || !c.Type.Numeric() {
			continue
		}
		u, ok := pcaetUnits[c.Unit]
		if !ok {
			u.unit, u.factor, u.dec = c.Unit, 1, 2
		}
		p.Indicators = append(p.Indicators, Indicator{Key: c.Name, Label: labelOf(c), Unit: u.unit, Decimals: u.dec, factor: u.factor})
		cols = append(cols, i)
	}
	// Heat-pump coverage, from the parcels: the heat demand of the parcels
	// where an air-source outdoor unit or at least one borehole fits.
	p.Indicators = append(p.Indicators,
		Indicator{Key: "hp_heat_mwh_yr", Label: data.Label{FR: "Chaleur des parcelles où une PAC est implantable", EN: "Heat demand of parcels where a heat pump fits"},
			Unit: "MWh/yr", Decimals: 1, factor: 1e3},
		Indicator{Key: "hp_coverage_pct", Label: data.Label{FR: "Part de la chaleur couvrable par PAC", EN: "Share of heat a heat pump can cover"},
			Unit: "%", Decimals: 1, ratio: [2]string{"hp_heat_mwh_yr", "heat_demand_kwh_yr"}})
	hpHeat, hpOK, err := heatPumpHeat(ctx, s, studyID)
	if err != nil {
		return nil, nil, err
	}
	nameCol := l.Index("name")
	byEPCI := map[string]*Area{}
	var epcis []string
	var orphans []string
	n := len(p.Indicators)
	for page, err := range data.Pages(ctx, s, l.Name, data.Query{Study: studyID, Limit: data.MaxLimit}) {
		if err != nil {
			return nil, nil, fmt.Errorf("export: communes: %w", err)
		}
		for _, f := range page.Features {
			a := Area{Level: "commune", Code: fmt.Sprint(f.Value(l, l.Key)), Values: make([]float64, n)}
			if nameCol >= 0 {
				a.Name, _ = f.Values[nameCol].(string)
			}
			for k, i := range cols {
				a.Values[k] = data.Number(f.Values[i]) / p.Indicators[k].factor
			}
			a.Values[len(cols)] = math.NaN()
			if hpOK {
				a.Values[len(cols)] = hpHeat[a.Code] / 1e3
			}
			p.Areas = append(p.Areas, a)
			if epci == nil {
				continue
			}
			e, ok := epci[a.Code]
			if !ok {
				orphans = append(orphans, a.Code)
				continue
			}
			t := byEPCI[e.Code]
			if t == nil {
				t = &Area{Level: "epci", Code: e.Code, Name: e.Name, Values: make([]float64, n)}
				byEPCI[e.Code] = t
				epcis = append(epcis, e.Code)
			}
			for k, v := range a.Values {
				t.Values[k] += v // NaN stays NaN: a sum with a missing commune is not available
			}
		}
	}
	slices.Sort(epcis)
	for _, c := range epcis {
		p.Areas = append(p.Areas, *byEPCI[c])
	}
	p.fillRatios()
	return p, orphans, nil
}

func labelOf(c data.Column) data.Label {
	l := c.Label
	if l.FR == "" {
		l.FR = c.Name
	}
	if l.EN == "" {
		l.EN = c.Name
	}
	return l
}

// fillRatios computes the derived percentages from their summed parts.
func (p *PCAET) fillRatios() {
	idx := func(k string) int {
		return slices.IndexFunc(p.Indicators, func(i Indicator) bool { return i.Key == k })
	}
	for k, ind := range p.Indicators {
		if ind.ratio[0] == "" {
			continue
		}
		a, b := idx(ind.ratio[0]), idx(ind.ratio[1])
		for i := range p.Areas {
			p.Areas[i].Values[k] = math.NaN()
			if a < 0 || b < 0 {
				continue
			}
			num, den := p.Areas[i].Values[a]*p.Indicators[a].factor, p.Areas[i].Values[b]*p.Indicators[b].factor
			if den > 0 && !math.IsNaN(num) {
				p.Areas[i].Values[k] = 100 * num / den
			}
		}
	}
}

// heatPumpHeat sums, per commune, the heat demand (kWh/yr) of the parcels
// where a heat pump can be sited. ok is false when the store has no
// parcels layer or the layer lacks the columns.
func heatPumpHeat(ctx context.Context, s data.Store, studyID string) (map[string]float64, bool, error) {
	l, err := s.Layer(ctx, "parcels")
	if errors.Is(err, data.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("export: parcels: %w", err)
	}
	ic, ih, ia, ig := l.Index("commune_insee"), l.Index("heat_demand_kwh_yr"), l.Index("ashp_siting_ok"), l.Index("gshp_boreholes")
	if ic < 0 || ih < 0 || (ia < 0 && ig < 0) {
		return nil, false, nil
	}
	out := map[string]float64{}
	for page, err := range data.Pages(ctx, s, l.Name, data.Query{Study: studyID, Limit: data.MaxLimit}) {
		if err != nil {
			return nil, false, fmt.Errorf("export: parcels: %w", err)
		}
		for _, f := range page.Features {
			c := fmt.Sprint(f.Values[ic])
			if _, ok := out[c]; !ok {
				out[c] = 0
			}
			h := data.Number(f.Values[ih])
			fits := (ia >= 0 && data.Number(f.Values[ia]) == 1) || (ig >= 0 && data.Number(f.Values[ig]) > 0)
			if fits && !math.IsNaN(h) {
				out[c] += h
			}
		}
	}
	return out, true, nil
}

// WriteTidyCSV writes the diagnostic as a tidy table, one row per territory
// and indicator: level, code, name, indicator key, label, value, unit, in
// dialect d (csv-fr: French headings and labels, units as displayed,
// semicolons, decimal comma, BOM; csv: English names and storage units
// for machines). Missing values are d.NA.
func (p *PCAET) WriteTidyCSV(w io.Writer, d Dialect) error {
	bw := bufio.NewWriter(w)
	if d.BOM {
		bw.WriteString("\ufeff")
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = d.Comma, d.CRLF
	lang := d.Headings
	head := []string{"level", "code", "name", "indicator", "label", "value", "unit"}
	if lang == data.French {
		head = []string{"Niveau", "Code", "Nom", "Indicateur", "Libellé", "Valeur", "Unité"}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	x := &Writer{o: Options{Dialect: d}}
	for _, a := range p.Areas {
		level := a.Level
		if lang == data.French && level == "commune" {
			level = "Commune"
		} else if lang == data.French {
			level = "EPCI"
		}
		for k, ind := range p.Indicators {
			v := d.NA
			if x := a.Values[k]; !math.IsNaN(x) && !math.IsInf(x, 0) {
				v = numberIn(d, roundTo(x, ind.Decimals), ind.Decimals)
			}
			unit, label := ind.Unit, ind.Label.EN
			if lang != "" {
				unit, _ = data.UnitLabel(ind.Unit, lang)
				label = ind.Label.In(lang)
			}
			if err := cw.Write([]string{level, a.Code, x.escape(a.Name), ind.Key, label, v, unit}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func roundTo(x float64, dec int) float64 {
	p := math.Pow10(dec)
	r := math.Round(x*p) / p
	if r == 0 {
		return 0
	}
	return r
}

// numberIn writes x with dec decimals in dialect d (no exponent).
func numberIn(d Dialect, x float64, dec int) string {
	return (&Writer{o: Options{Dialect: d}}).number(x, dec)
}

// escape applies the dialect's formula escaping to a text cell.
func (x *Writer) escape(s string) string {
	if x.o.Dialect.EscapeFormulas && s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
