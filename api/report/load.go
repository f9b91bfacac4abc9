package report

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo/insee"
)

// Parcel is one parcel of the commune as the annex uses it. Pointers are
// nil for NULL values (a parcel without a usable roof has no PV figures).
type Parcel struct {
	ID, Section, IRIS               string
	Number, Address                 string       // cadastral number (from the IDU), postal address when the input has one
	Geom                            orb.Geometry // layer SRID (Lambert-93)
	AreaM2                          float64
	Buildings                       int64
	PVKWp, PVKWhYr, SpecificYield   *float64 // kWp, kWh/yr, kWh/kWp
	ShadingLossPct                  *float64
	HeatDemandKWhYr                 *float64
	ASHPSCOP, ASHPKW                *float64
	ASHPSitingOK                    *bool
	GSHPBoreholes                   *int64
	GSHPKW                          *float64
	NPVEUR, IRRPct, PaybackYr, LCOE *float64
	CO2AvoidedKgYr                  *float64
	// Sums are the values of the report's summable columns
	// (Report.SumCols, same order); NaN for NULL.
	Sums []float64
}

// Assumption is one scenario value with its unit and source. Label is the
// key's French label (AssumptionLabel; "" when the key has none).
type Assumption struct {
	Key, Label, Value, Unit, Source, Date string
}

// Report is the loaded content of an annex.
type Report struct {
	Commune, CommuneName string
	Study                data.Study
	Outline              orb.Geometry // commune boundary (layer SRID), nil when absent
	SRID                 int
	Parcels              []Parcel
	Assumptions          []Assumption
	Sources              []Source
	Now                  time.Time
	TopN                 int
	// Lang is the language of the annex (data.French or data.English).
	Lang string
	// Layer is the stored layer the rows come from (parcels, or buildings
	// when BuildingsOnly) with the study schema's reading facts (labels,
	// units); SumCols are its summable numeric columns, in layer order:
	// the synthesis and the totals read them generically, so a column a
	// newer study adds appears without a change here, and a parcel-level
	// column a parcel-less study lacks is "n/a", never 0.
	Layer   data.Layer
	SumCols []data.Column
	// BuildingsOnly is set when the study has no parcels (a study run
	// without cadastral parcels, issue 13): Parcels then holds one row
	// per building (buildings.go, loadSites).
	BuildingsOnly bool
	// Warnings are the study's warnings (StudyWarnings: a "warnings" list
	// at top level or in the summary, then the summary's weather note).
	Warnings []string
	// OptimumYield is the local optimum specific yield (kWh/kWp) the yield
	// map is relative to, and OptimumSource says where it comes from.
	OptimumYield  float64
	OptimumSource string
	// sourcesDefaulted when Options.Sources was nil (the study's detected
	// sources then replace the defaults); fromMembers when rows of
	// arrondissements were gathered (insee.Members).
	sourcesDefaulted bool
	fromMembers      bool
}

var inseeRe = regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}$`)

// Build reads the commune's parcels, outline and the study's scenario.
func Build(ctx context.Context, store data.Store, o Options) (*Report, error) {
	if !inseeRe.MatchString(o.Commune) {
		return nil, fmt.Errorf("report: commune %q is not an INSEE code (5 characters, e.g. 24322): %w", o.Commune, data.ErrInvalidValue)
	}
	st, err := store.Study(ctx, o.Study)
	if err != nil {
		return nil, fmt.Errorf("report: study %q: %w", o.Study, err)
	}
	r := &Report{Commune: o.Commune, Study: st, Sources: o.Sources, Now: o.Now, TopN: o.TopN, Lang: o.Lang}
	if r.Lang != data.English {
		r.Lang = data.French
	}
	if r.Sources == nil {
		r.Sources, r.sourcesDefaulted = DefaultSources(), true
	}
	if r.Now.IsZero() {
		r.Now = time.Now()
	}
	if r.TopN <= 0 {
		r.TopN = 15
	}
	if err := r.loadSites(ctx, store, st.ID); err != nil {
		return nil, err
	}
	if cl, err := store.Layer(ctx, "communes"); err == nil {
		if f, err := store.Get(ctx, st.ID, "communes", o.Commune); err == nil {
			r.Outline = f.Geom
			if n, ok := f.Value(cl, "name").(string); ok {
				r.CommuneName = n
			}
		} else if !errors.Is(err, data.ErrNotFound) {
			return nil, fmt.Errorf("report: commune %s: %w", o.Commune, err)
		}
	}
	if r.CommuneName == "" {
		r.CommuneName = insee.Name(o.Commune)
	}
	if r.fromMembers {
		// Paris, Lyon, Marseille gathered from arrondissements: a row of
		// the parent code only frames the buildings left at that level.
		r.Outline = nil
	}
	if len(r.Parcels) == 0 && r.Outline == nil {
		return nil, fmt.Errorf("%w %s in study %q (no parcel, no commune row)", ErrUnknownCommune, o.Commune, st.ID)
	}
	r.Assumptions = ParseAssumptions(st.Scenario)
	r.Warnings = StudyWarnings(st)
	r.studyMeta()
	r.OptimumYield, r.OptimumSource = optimumYield(st, r.Parcels)
	return r, nil
}

// firstColumn returns the first of names the layer has ("" for none).
func firstColumn(l data.Layer, names ...string) string {
	for _, c := range names {
		if l.Index(c) >= 0 {
			return c
		}
	}
	return ""
}

// iduRe is the French cadastral parcel identifier (IDU, 14 characters):
// INSEE code of the commune (5), prefix of the absorbed commune (3, "000"
// when none), section (2, "0A" for a one-letter section) and number (4).
// Source: DGFiP, "PCI Vecteur / EDIGÉO — Identifiant unique de parcelle".
var iduRe = regexp.MustCompile(`^([0-9][0-9AB][0-9]{3})([0-9]{3})([0-9A-Z]{2})([0-9]{4})$`)

// ParseIDU splits a cadastral parcel identifier into its commune, prefix,
// section and number, as written on the cadastral plan: the section
// without a leading zero ("0A" → "A") and the number without leading
// zeros ("0062" → "62"). ok is false when id is not an IDU (e.g. a parcel
// rebuilt from its geometry alone).
func ParseIDU(id string) (commune, prefix, section, number string, ok bool) {
	m := iduRe.FindStringSubmatch(id)
	if m == nil || m[4] == "0000" {
		return "", "", "", "", false
	}
	return m[1], m[2], strings.TrimPrefix(m[3], "0"), strings.TrimLeft(m[4], "0"), true
}

func parcelOf(l data.Layer, f data.Feature, iris string) Parcel {
	fl := func(c string) *float64 {
		switch v := f.Value(l, c).(type) {
		case float64:
			return &v
		case int64:
			x := float64(v)
			return &x
		}
		return nil
	}
	in := func(c string) *int64 {
		switch v := f.Value(l, c).(type) {
		case int64:
			return &v
		case float64:
			x := int64(v)
			return &x
		}
		return nil
	}
	str := func(c string) string { s, _ := f.Value(l, c).(string); return s }
	p := Parcel{
		ID: fmt.Sprint(f.Value(l, l.Key)), Section: str("section"), Geom: f.Geom,
		PVKWp: fl("pv_kwp"), PVKWhYr: fl("pv_kwh_yr"), SpecificYield: fl("pv_specific_yield_kwh_kwp"),
		ShadingLossPct: fl("pv_shading_loss_pct"), HeatDemandKWhYr: fl("heat_demand_kwh_yr"),
		ASHPSCOP: fl("ashp_scop"), ASHPKW: fl("ashp_kw"), GSHPBoreholes: in("gshp_boreholes"), GSHPKW: fl("gshp_kw"),
		NPVEUR: fl("npv_eur"), IRRPct: fl("irr_pct"), PaybackYr: fl("payback_yr"), LCOE: fl("lcoe_eur_kwh"),
		CO2AvoidedKgYr: fl("co2_avoided_kg_yr"),
	}
	if iris != "" {
		p.IRIS = str(iris)
	}
	if _, _, sec, num, ok := ParseIDU(p.ID); ok {
		p.Number = num
		if p.Section == "" {
			p.Section = sec
		}
	}
	p.Section = strings.TrimPrefix(p.Section, "0")
	if a := fl("area_m2"); a != nil {
		p.AreaM2 = *a
	}
	if b := in("building_count"); b != nil {
		p.Buildings = *b
	}
	if ok := in("ashp_siting_ok"); ok != nil {
		b := *ok != 0
		p.ASHPSitingOK = &b
	}
	return p
}

// ParseAssumptions flattens a study scenario into rows: the list form
// [{key, value, unit, source, date}] (top level or under "assumptions") is
// kept as is; any other JSON object is flattened to dotted keys, without a
// source (the annex then says that the scenario gives none).
func ParseAssumptions(scenario json.RawMessage) []Assumption {
	if len(scenario) == 0 {
		return nil
	}
	type item struct {
		Key    string `json:"key"`
		Value  any    `json:"value"`
		Unit   string `json:"unit"`
		Source string `json:"source"`
		Date   string `json:"date"`
	}
	conv := func(list []item) []Assumption {
		out := make([]Assumption, 0, len(list))
		for _, a := range list {
			label, _ := AssumptionLabel(a.Key)
			out = append(out, Assumption{Key: a.Key, Label: label, Value: valueString(a.Value), Unit: a.Unit, Source: a.Source, Date: a.Date})
		}
		return out
	}
	var list []item
	if json.Unmarshal(scenario, &list) == nil && len(list) > 0 && list[0].Key != "" {
		return conv(list)
	}
	var wrapped struct {
		Assumptions []item `json:"assumptions"`
	}
	if json.Unmarshal(scenario, &wrapped) == nil && len(wrapped.Assumptions) > 0 && wrapped.Assumptions[0].Key != "" {
		return conv(wrapped.Assumptions)
	}
	var obj map[string]any
	if json.Unmarshal(scenario, &obj) != nil {
		return nil
	}
	var out []Assumption
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if sub, ok := m[k].(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			label, _ := AssumptionLabel(prefix + k)
			out = append(out, Assumption{Key: prefix + k, Label: label, Value: valueString(m[k])})
		}
	}
	walk("", obj)
	return out
}

func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	case float64:
		return frNumber(x, 4)
	case bool:
		if x {
			return "oui"
		}
		return "non"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// top returns the n parcels with the largest key (NULLs excluded), ties by id.
func top(ps []Parcel, n int, key func(Parcel) *float64) []Parcel {
	var out []Parcel
	for _, p := range ps {
		if key(p) != nil {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Parcel) int {
		if c := cmp.Compare(*key(b), *key(a)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
