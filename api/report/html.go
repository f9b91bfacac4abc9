package report

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gisement/gisement/data"
)

//go:embed annex.html.tmpl
var annexTmpl string

var tmpl = template.Must(template.New("annex").Funcs(template.FuncMap{
	"num": func(x float64, dec int) string { return frNumber(x, dec) },
	"nump": func(x *float64, dec int) string {
		if x == nil {
			return "—"
		}
		return frNumber(*x, dec)
	},
	"mwh": func(kwh float64) string { return frNumber(kwh/1000, 0) },
	"int": func(x int64) string { return frNumber(float64(x), 0) },
	"pct": func(a, b int64) string {
		if b == 0 {
			return "—"
		}
		return frNumber(100*float64(a)/float64(b), 0) + " %"
	},
	"inc":       func(i int) int { return i + 1 },
	"css":       func(s string) template.CSS { return template.CSS(s) },
	"synthetic": func(s string) bool { return strings.Contains(strings.ToUpper(s), "SYNTHETIC") },
	"t":         tr,
	"add":       func(a, b int) int { return a + b },
}).Parse(annexTmpl))

type mapView struct {
	Title, Caption string
	PNG            template.URL // data: URI
	Legend         []Class
}

type inputRow struct{ Name, Value string }

// tableView is a table of totals per group: headings with their (scaled)
// units, one row of cells per group and a total row.
type tableView struct {
	Head  []string
	Rows  [][]string
	Total []string
}

// siteRow is a row of a top-sites table, its cells formatted.
type siteRow struct {
	Rank                                            int
	ID, Section, Number, Address                    string
	KWp, KWh, Yield, Shade, NPV, IRR, Payback, LCOE string
}

type view struct {
	*Report
	Total          Totals
	Figures        []figure
	Others         []figure
	Sections       tableView
	IRIS           *tableView
	NoSection      int64
	TopNPV         []siteRow
	TopKWh         []siteRow
	HasAddress     bool
	Maps           []mapView
	Inputs         []inputRow
	Date           string
	Unsourced      int
	AssumptionRows []assumptionRow
	WarningsView   []warningView
	HP             []figure
}

type warningView struct {
	Text string
	Orig bool // not translated: shown in the program's own words
}

// assumptionRow is a row of the compact assumptions table: the French
// label (the key when it has none), value, display unit, the source
// shortened to its references (ShortSource) and its date.
type assumptionRow struct {
	Assumption
	Unit       string
	SrcPrefix  string   // "Hypothèse de l'étude" or ""
	SrcRefs    []string // references, in their own words (shown as <cite>)
	SourceOrig bool
	Date       string
	First      bool
	KeyOnly    bool // no label: the key is shown, as an identifier
	Text       bool // the value is text of the scenario (not a number)
}

const maxSourceRun = 8

func assumptionRows(as []Assumption, lang string) []assumptionRow {
	rows := make([]assumptionRow, len(as))
	start := 0
	for i, a := range as {
		rows[i].Assumption = a
		rows[i].Unit = unitLang(a.Unit, lang)
		rows[i].SrcPrefix, rows[i].SrcRefs, rows[i].SourceOrig = sourceParts(a.Source, lang)
		rows[i].Date = a.Date
		if rows[i].Date == "" {
			rows[i].Date = sourceYear(a.Source)
		}
		if lang == data.English || rows[i].Label == "" {
			rows[i].Label, rows[i].KeyOnly = a.Key, true
		}
		_, err := strconv.ParseFloat(strings.NewReplacer("\u202f", "", ",", ".", "−", "-").Replace(a.Value), 64)
		rows[i].Text = err != nil && a.Value != "—" && a.Value != "oui" && a.Value != "non"
		if i == 0 || a.Source != as[start].Source || rows[i].Date != rows[start].Date || i-start == maxSourceRun {
			start = i
			rows[i].First = true
		}
	}
	return rows
}

func dataURI(png []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

// tcol is a column of a totals table: its heading, the storage unit of
// its values (scaled for the column's largest row) and the value of a
// group (NaN when not available).
type tcol struct {
	head, unit string
	get        func(Totals) float64
}

func (r *Report) totalsTable(first string, groups []Totals, total Totals, cols []tcol) tableView {
	lang := r.Lang
	tv := tableView{Head: []string{first}}
	fmts := make([]func(float64) string, len(cols))
	for i, c := range cols {
		m := 0.0
		for _, g := range groups {
			if v := c.get(g); !math.IsNaN(v) {
				m = max(m, math.Abs(v))
			}
		}
		f, su := data.ScaleUnit(m, c.unit)
		u, _ := data.UnitLabel(su, lang)
		h := c.head
		if u != "" {
			h += " (" + u + ")"
		}
		tv.Head = append(tv.Head, h)
		fmts[i] = func(x float64) string { return numSig(x/f, lang) }
		if c.unit == "count" {
			tv.Head[len(tv.Head)-1] = c.head
			fmts[i] = func(x float64) string { return numLang(x, 0, lang) }
		}
	}
	row := func(name string, g Totals) []string {
		cells := []string{name}
		for i, c := range cols {
			cells = append(cells, fmts[i](c.get(g)))
		}
		return cells
	}
	for _, g := range groups {
		name := g.Name
		if name == "" {
			name = tr("tab.nosection", lang)
		}
		tv.Rows = append(tv.Rows, row(name, g))
	}
	tv.Total = row(tr("tab.commune", lang), total)
	return tv
}

func (r *Report) groupCols() []tcol {
	lang := r.Lang
	nan := func(ok bool, x float64) float64 {
		if !ok {
			return math.NaN()
		}
		return x
	}
	return []tcol{
		{tr("tab.parcels", lang), "count", func(t Totals) float64 { return float64(t.Parcels) }},
		{tr("tab.pv_kwp", lang), "kWp", func(t Totals) float64 { return nan(t.PVMissing < t.Parcels, t.PVKWp) }},
		{tr("tab.pv_kwh", lang), "kWh/yr", func(t Totals) float64 { return nan(t.PVMissing < t.Parcels, t.PVKWhYr) }},
		{tr("tab.yield", lang), "kWh/kWp", func(t Totals) float64 { return t.SpecificYield() }},
		{tr("tab.pv_econ_kwp", lang), "kWp", func(t Totals) float64 { return t.NPVPositiveKWp }},
		{tr("tab.heat", lang), "kWh/yr", func(t Totals) float64 { return t.HeatDemandKWhYr }},
		{tr("tab.hp_cover", lang), "%", func(t Totals) float64 {
			return nan(t.HeatDemandKWhYr > 0, 100*t.HPHeatKWhYr/t.HeatDemandKWhYr)
		}},
		{tr("tab.boreholes", lang), "count", func(t Totals) float64 { return float64(t.GSHPBoreholes) }},
	}
}

func (r *Report) siteRows(ps []Parcel) []siteRow {
	lang := r.Lang
	f := func(x *float64, unit string) string {
		if x == nil {
			return na(lang)
		}
		v, _ := qty(*x, unit, lang)
		return v
	}
	out := make([]siteRow, len(ps))
	for i, p := range ps {
		sec, num := p.Section, p.Number
		if sec == "" {
			sec = "—"
		}
		if num == "" {
			num = "—"
		}
		npv := na(lang)
		if p.NPVEUR != nil {
			npv = numSig(*p.NPVEUR/1000, lang)
		}
		out[i] = siteRow{Rank: i + 1, ID: p.ID, Section: sec, Number: num, Address: p.Address,
			KWp: f(p.PVKWp, ""), KWh: f(p.PVKWhYr, ""), Yield: f(p.SpecificYield, ""), Shade: pct1(p.ShadingLossPct, lang),
			NPV: npv, IRR: f(p.IRRPct, ""), Payback: f(p.PaybackYr, ""), LCOE: f(p.LCOE, "")}
		if p.PVKWhYr != nil {
			out[i].KWh = numSig(*p.PVKWhYr/1000, lang) // MWh/yr
		}
	}
	return out
}

// WriteHTML writes the annex as one self-contained HTML document.
func (r *Report) WriteHTML(w io.Writer) error {
	lang := r.Lang
	v := view{Report: r, Total: r.Total(), Date: r.Now.Format("02/01/2006")}
	v.Figures = r.Synthesis(v.Total)
	v.Others = r.OtherTotals(v.Total)
	sections := r.GroupBy(func(p Parcel) string { return p.Section })
	v.Sections = r.totalsTable(tr("tab.section", lang), sections, v.Total, r.groupCols())
	for _, s := range sections {
		if s.Name == "" {
			v.NoSection = s.Parcels
		}
	}
	if r.HasIRIS() {
		t := r.totalsTable("IRIS", r.GroupBy(func(p Parcel) string { return p.IRIS }), v.Total, r.groupCols())
		v.IRIS = &t
	}
	topNPV := top(r.Parcels, r.TopN, func(p Parcel) *float64 { return p.NPVEUR })
	topKWh := top(r.Parcels, r.TopN, func(p Parcel) *float64 { return p.PVKWhYr })
	v.TopNPV, v.TopKWh = r.siteRows(topNPV), r.siteRows(topKWh)
	for _, p := range append(topNPV, topKWh...) {
		v.HasAddress = v.HasAddress || p.Address != ""
	}
	for k, val := range r.Study.Inputs {
		v.Inputs = append(v.Inputs, inputRow{inputName(k, lang), filepath.Base(val)}) // file names only: no machine path in the annex
	}
	sort.Slice(v.Inputs, func(i, j int) bool { return v.Inputs[i].Name < v.Inputs[j].Name })
	v.AssumptionRows = assumptionRows(r.Assumptions, lang)
	for _, a := range r.Assumptions {
		if a.Source == "" {
			v.Unsourced++
		}
	}
	for _, w := range r.Warnings {
		t, ok := TranslateWarning(w, lang)
		v.WarningsView = append(v.WarningsView, warningView{Text: t, Orig: !ok})
	}
	t := v.Total
	hpv := func(label string, x float64, unit string) figure {
		val, u := qty(x, unit, lang)
		return figure{Label: tr(label, lang), Value: val, Unit: u}
	}
	v.HP = []figure{
		hpv("hp.heat", t.HeatDemandKWhYr, "kWh/yr"),
		{Label: tr("hp.ashp_parcels", lang), Value: numLang(float64(t.ASHPParcels), 0, lang) + " (" + pctLang(t.ASHPParcels, t.Parcels, lang) + ")"},
		hpv("hp.ashp_kw", t.ASHPKW, "kW"),
		{Label: tr("hp.scop", lang), Value: numLang(t.MeanSCOP(), 2, lang)},
		{Label: tr("hp.gshp_parcels", lang), Value: numLang(float64(t.GSHPParcels), 0, lang) + " (" + pctLang(t.GSHPParcels, t.Parcels, lang) + ")"},
		{Label: tr("hp.boreholes", lang), Value: numLang(float64(t.GSHPBoreholes), 0, lang)},
		hpv("hp.gshp_kw", t.GSHPKW, "kW"),
	}
	if r.BuildingsOnly {
		// Heat-pump siting and boreholes are computed per parcel: a
		// study without parcels has none ("n/a", never 0).
		for _, i := range []int{1, 4, 5, 6} {
			v.HP[i].Value, v.HP[i].Unit = na(lang), ""
		}
	}
	maps, err := r.maps()
	if err != nil {
		return err
	}
	v.Maps = maps
	if err := tmpl.Execute(w, v); err != nil {
		return fmt.Errorf("report: render HTML: %w", err)
	}
	return nil
}

func pctLang(a, b int64, lang string) string {
	if b == 0 {
		return na(lang)
	}
	return numSig(100*float64(a)/float64(b), lang) + " %"
}

// maps draws the annex's maps: the situation, then the thematic maps with
// their legends (class ranges). A study without parcels (BuildingsOnly) maps
// its buildings.
func (r *Report) maps() ([]mapView, error) {
	lang := r.Lang
	grey := color.Gray{Y: 215}
	parcels := func(fill func(Parcel) color.Color) []shape {
		out := make([]shape, 0, len(r.Parcels))
		for _, p := range r.Parcels {
			c := color.Color(grey)
			if fill != nil {
				c = fill(p)
			}
			out = append(out, shape{p.Geom, c})
		}
		return out
	}
	classed := func(breaks []float64, colors []uint32, unit string, x func(Parcel) float64) ([]shape, []Class) {
		cl := rangeClasses(breaks, unit, colors, lang)
		return parcels(func(p Parcel) color.Color { return cl[classOf(x(p), breaks)].Color }), cl
	}
	type def struct {
		title, caption string
		shapes         []shape
		legend         []Class
	}
	var defs []def
	defs = append(defs, def{tr("map.situation", lang), tr("map.situation.cap", lang), parcels(nil), nil})
	if len(r.Parcels) > 0 {
		opt := r.OptimumYield
		s, l := classed(yieldBreaks, rdYlGn, "%", func(p Parcel) float64 {
			if p.SpecificYield == nil || math.IsNaN(opt) {
				return math.NaN()
			}
			return 100 * *p.SpecificYield / opt
		})
		optTxt := numSig(opt, lang) + " " + unitLang("kWh/kWp", lang)
		defs = append(defs, def{tr("map.yield", lang), strings.ReplaceAll(tr("map.yield.cap."+r.OptimumSource, lang), "{opt}", optTxt), s, l})
		s, l = classed(shadeBreaks, reversed(rdYlGn), "%", func(p Parcel) float64 { return val(p.ShadingLossPct) })
		defs = append(defs, def{tr("map.shade", lang), tr("map.shade.cap", lang), s, l})
		cells, dens := heatCells(r.Parcels)
		hl := rangeClasses(heatBreaks, unitLang("MWh/ha/yr", lang), ylOrRd, lang)
		hs := parcels(nil)
		for i, c := range cells {
			hs = append(hs, shape{c, hl[classOf(dens[i], heatBreaks)].Color})
		}
		defs = append(defs, def{tr("map.heat", lang), tr("map.heat.cap", lang), hs, hl[:len(hl)-1]})
		hc := hpClasses(lang)
		defs = append(defs, def{tr("map.hp", lang), tr("map.hp.cap", lang), parcels(func(p Parcel) color.Color { return hc[hpClass(p)].Color }), hc})
		s, l = classed(npvBreaks, rdYlGn, "k€", func(p Parcel) float64 {
			if p.NPVEUR == nil {
				return math.NaN()
			}
			return *p.NPVEUR / 1000
		})
		defs = append(defs, def{tr("map.npv", lang), tr("map.npv.cap", lang), s, l})
	}
	var out []mapView
	for _, d := range defs {
		if len(d.shapes) == 0 && r.Outline == nil {
			continue
		}
		png, err := mapImage(r.Outline, d.shapes, 17, 8.5)
		if err != nil {
			return nil, err
		}
		out = append(out, mapView{Title: d.title, Caption: d.caption, PNG: dataURI(png), Legend: d.legend})
	}
	return out, nil
}

func reversed(c []uint32) []uint32 {
	out := slices.Clone(c)
	slices.Reverse(out)
	return out
}

// unitLang writes a unit symbol in lang (data.UnitLabel: the one unit
// table; unknown symbols unchanged).
func unitLang(u, lang string) string {
	l, _ := data.UnitLabel(u, lang)
	return l
}

// pct1 writes a percentage with one decimal (a shading loss of 0.004 % is
// "0", not four significant figures of noise).
func pct1(x *float64, lang string) string {
	if x == nil {
		return na(lang)
	}
	return numLang(*x, 1, lang)
}

// inputNames are the French names of the study's inputs (model/study
// Result.Inputs keys).
var inputNames = map[string]string{
	"buildings": "Bâtiments", "parcels": "Parcelles", "weather": "Année météorologique", "boundaries": "Limites communales",
	"irradiance": "Grille d'irradiation", "dem": "Modèle numérique de terrain", "zones": "Zones", "carparks": "Parkings",
	"scenario": "Scénario", "lidar": "Relevé lidar", "dsm": "Modèle numérique de surface",
}

func inputName(k, lang string) string {
	if n, ok := inputNames[k]; ok && lang != data.English {
		return n
	}
	return k
}
