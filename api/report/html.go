package report

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/color"
	"io"
	"path/filepath"
	"sort"
	"strings"
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
	"mwh":    func(kwh float64) string { return frNumber(kwh/1000, 0) },
	"unitFR": unitFR,
	"int":    func(x int64) string { return frNumber(float64(x), 0) },
	"pct": func(a, b int64) string {
		if b == 0 {
			return "—"
		}
		return frNumber(100*float64(a)/float64(b), 0) + " %"
	},
	"inc":       func(i int) int { return i + 1 },
	"css":       func(s string) template.CSS { return template.CSS(s) },
	"synthetic": func(s string) bool { return strings.Contains(strings.ToUpper(s), "SYNTHETIC") },
}).Parse(annexTmpl))

type mapView struct {
	Title, Caption string
	PNG            template.URL // data: URI
	Legend         []Class
}

type inputRow struct{ Name, Value string }

type view struct {
	*Report
	Total          Totals
	Sections       []Totals
	IRIS           []Totals
	TopNPV         []Parcel
	TopKWh         []Parcel
	Maps           []mapView
	Inputs         []inputRow
	Date           string
	Unsourced      int
	AssumptionRows []assumptionRow
}

// assumptionRow is a row of the assumptions table. Consecutive rows with
// the same source and date print it once (First), the following cells are
// left blank without a top border (a rowspan cell would keep the group on
// one page and leave half-empty pages in Chromium's print); it is written
// again every maxSourceRun rows so that a page break never leaves a long
// run without its source in sight.
type assumptionRow struct {
	Assumption
	First bool
}

const maxSourceRun = 8

func assumptionRows(as []Assumption) []assumptionRow {
	rows := make([]assumptionRow, len(as))
	start := 0
	for i, a := range as {
		rows[i].Assumption = a
		if i == 0 || a.Source != as[start].Source || a.Date != as[start].Date || i-start == maxSourceRun {
			start = i
			rows[i].First = true
		}
	}
	return rows
}

func dataURI(png []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

// WriteHTML writes the annex as one self-contained HTML document.
func (r *Report) WriteHTML(w io.Writer) error {
	v := view{Report: r, Total: r.Total(), Date: r.Now.Format("02/01/2006")}
	v.Sections = r.GroupBy(func(p Parcel) string { return p.Section })
	if r.HasIRIS() {
		v.IRIS = r.GroupBy(func(p Parcel) string { return p.IRIS })
	}
	v.TopNPV = top(r.Parcels, r.TopN, func(p Parcel) *float64 { return p.NPVEUR })
	v.TopKWh = top(r.Parcels, r.TopN, func(p Parcel) *float64 { return p.PVKWhYr })
	for k, val := range r.Study.Inputs {
		v.Inputs = append(v.Inputs, inputRow{k, filepath.Base(val)}) // file names only: no machine path in the annex
	}
	sort.Slice(v.Inputs, func(i, j int) bool { return v.Inputs[i].Name < v.Inputs[j].Name })
	v.AssumptionRows = assumptionRows(r.Assumptions)
	for _, a := range r.Assumptions {
		if a.Source == "" {
			v.Unsourced++
		}
	}
	maps := []struct {
		title, caption string
		fill           func(Parcel) color.Color
		legend         []Class
	}{
		{"Carte de situation", "Parcelles étudiées (gris) et limite communale (tirets). Coordonnées Lambert-93.", nil, nil},
		{"Potentiel photovoltaïque en toiture", "Production photovoltaïque annuelle estimée par parcelle (somme des toitures).",
			func(p Parcel) color.Color { return pvClasses[pvClass(p)].Color }, pvClasses},
		{"Aptitude aux pompes à chaleur", "Implantation possible d'une PAC air/eau (unité extérieure) et/ou de sondes géothermiques verticales.",
			func(p Parcel) color.Color { return hpClasses[hpClass(p)].Color }, hpClasses},
	}
	for _, m := range maps {
		png, err := mapImage(r.Outline, r.Parcels, m.fill, 17)
		if err != nil {
			return err
		}
		v.Maps = append(v.Maps, mapView{Title: m.title, Caption: m.caption, PNG: dataURI(png), Legend: m.legend})
	}
	if err := tmpl.Execute(w, v); err != nil {
		return fmt.Errorf("report: render HTML: %w", err)
	}
	return nil
}

// frUnits are the French spellings of the scenario's unit symbols (the
// scenario is written with English/SI symbols: yr, EUR, kWp).
var frUnits = map[string]string{
	"yr": "ans", "%/yr": "%/an", "EUR": "€", "EUR/kWh": "€/kWh", "EUR/kWp": "€/kWc", "EUR/kW": "€/kW", "EUR/yr": "€/an",
	"EUR/kWp/yr": "€/kWc/an", "kWp": "kWc", "kWh/yr": "kWh/an", "kWh/kWp": "kWh/kWc", "Wp/m²": "Wc/m²", "Wp/m2": "Wc/m²",
	"%/yr of CAPEX": "%/an de l'invest.", "%/yr of capex": "%/an de l'invest.", "% of capex HT": "% de l'invest. HT", "0/1": "0/1", "factor": "facteur", "% per 100 km (1σ)": "% par 100 km (1σ)", "€/Wp HT": "€/Wc HT", "kWh/m²·yr": "kWh/m²·an", "fraction": "fraction", "fraction (1σ)": "fraction (1σ)",
	"deg (1σ)": "° (1σ)", "%/yr (1σ)": "%/an (1σ)", "draws": "tirages", "K·d/yr": "K·j/an", "€/kWh": "€/kWh",
	"m2": "m²", "€/kWp": "€/kWc", "€/kWp/yr": "€/kWc/an", "€/yr": "€/an", "deg": "°", "kgCO2e/kWh": "kg CO₂e/kWh", "gCO2e/kWh": "g CO₂e/kWh", "EUR/m": "€/m", "EUR/unit": "€/unité",
}

// unitFR writes a unit symbol the French way (unknown symbols unchanged).
func unitFR(u string) string {
	if f, ok := frUnits[u]; ok {
		return f
	}
	return u
}
