package data

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file holds the facts about a result column that readers of a study
// need besides its storage type: how to name it for people (French and
// English labels, display units), how to round it for reading, and where it
// goes (summed over an area, sortable, carried by vector tiles, written to
// CSV). The study pipeline declares them once with its layers
// (model/study.Schema); the HTTP API, the exports, the web map's labels and
// the README tables read them from there.

// Flags say where a column is used beyond storage.
type Flags uint16

// Column flags. The zero value is a plain stored column: written to every
// export, not summed, not sortable, not in tiles, shown in the web panel.
const (
	// Summable: the total over an area is the sum of the rows' values
	// (energies, powers, areas, counts, money). Ratios, specific yields,
	// percentages and quantiles are not summable.
	Summable Flags = 1 << iota
	// Sortable: list endpoints may sort on the column.
	Sortable
	// InTiles: the vector tiles of the column's layer carry it (the web map
	// colours or filters by it, or needs it to open a feature).
	InTiles
	// NoCSV: left out of CSV exports (long JSON arrays that spreadsheets
	// cannot use; the GeoPackage and GeoJSON keep them).
	NoCSV
	// Hidden: not shown in the web map's feature panel (provenance such as
	// the scenario hash, shown elsewhere).
	Hidden
)

var flagNames = []string{"summable", "sortable", "in_tiles", "no_csv", "hidden"}

// Has reports whether all of want are set.
func (f Flags) Has(want Flags) bool { return f&want == want }

// String lists the flags by name, comma-separated ("" for none).
func (f Flags) String() string {
	var out []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	if rest := f &^ (1<<len(flagNames) - 1); rest != 0 {
		out = append(out, "Flags("+strconv.Itoa(int(rest))+")")
	}
	return strings.Join(out, ",")
}

// MarshalJSON encodes the flags as a list of names (stored schemas).
func (f Flags) MarshalJSON() ([]byte, error) {
	names := []string{}
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	if f>>len(flagNames) != 0 {
		return nil, fmt.Errorf("data: unknown column flags %d", int(f))
	}
	return json.Marshal(names)
}

// UnmarshalJSON decodes a list of flag names; an unknown name is an error.
func (f *Flags) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return fmt.Errorf("data: column flags: %w", err)
	}
	*f = 0
	for _, n := range names {
		i := indexOf(flagNames, n)
		if i < 0 {
			return fmt.Errorf("data: unknown column flag %q (known: %s)", n, strings.Join(flagNames, ", "))
		}
		*f |= 1 << i
	}
	return nil
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// Kind says how a column's values read, beyond their storage type.
type Kind string

// Column kinds.
const (
	KindMeasure Kind = ""     // a quantity in Unit (the default)
	KindID      Kind = "id"   // an identifier or a name: the feature's title
	KindBool    Kind = "bool" // an Integer 1 (yes) / 0 (no)
	KindYear    Kind = "year" // a calendar year, written without thousands separator (0 = unknown)
	KindCode    Kind = "code" // a Text code from a closed list (e.g. a suitability class)
)

// Label is a short human name of a column in French and English.
type Label struct {
	FR string `json:"fr,omitempty"`
	EN string `json:"en,omitempty"`
}

// Languages of labels and display units.
const (
	French  = "fr"
	English = "en"
)

// In returns the label in lang (French unless lang is English).
func (l Label) In(lang string) string {
	if lang == English {
		return l.EN
	}
	return l.FR
}

// Decimals returns a pointer to d, for Column.Decimals literals.
func Decimals(d int) *int { return &d }

// unitLabels maps a unit symbol to its display form in French and
// English: the storage units of the result columns (Column.Unit), the
// symbols of the scenario's parameters (scenario.Param.Unit, written with
// English/SI symbols) and the scaled units of ScaleUnit. French writes kWc
// for the peak kilowatt (arrêté du 9 mai 2017 and the CRE tariffs use "kWc"),
// "an" for the year and € for the euro. This is the one unit-display table
// of gisement: the annex (api/report), the exports and the web map's labels
// read it.
var unitLabels = map[string]Label{
	"":                  {},
	"1":                 {"", ""},
	"m":                 {"m", "m"},
	"m2":                {"m²", "m²"},
	"m²":                {"m²", "m²"},
	"ha":                {"ha", "ha"},
	"km2":               {"km²", "km²"},
	"deg":               {"°", "°"},
	"deg (1σ)":          {"° (1σ)", "° (1σ)"},
	"°C":                {"°C", "°C"},
	"kW":                {"kW", "kW"},
	"MW":                {"MW", "MW"},
	"GW":                {"GW", "GW"},
	"W/m":               {"W/m", "W/m"},
	"kWp":               {"kWc", "kWp"},
	"MWp":               {"MWc", "MWp"},
	"GWp":               {"GWc", "GWp"},
	"Wp/m2":             {"Wc/m²", "Wp/m²"},
	"Wp/m²":             {"Wc/m²", "Wp/m²"},
	"kWh":               {"kWh", "kWh"},
	"MWh":               {"MWh", "MWh"},
	"GWh":               {"GWh", "GWh"},
	"kWh/yr":            {"kWh/an", "kWh/yr"},
	"MWh/yr":            {"MWh/an", "MWh/yr"},
	"GWh/yr":            {"GWh/an", "GWh/yr"},
	"MWh/ha/yr":         {"MWh/ha/an", "MWh/ha/yr"},
	"kWh/kWp":           {"kWh/kWc", "kWh/kWp"},
	"kWh/m2/yr":         {"kWh/m²/an", "kWh/m²/yr"},
	"kWh/m²·yr":         {"kWh/m²·an", "kWh/m²·yr"},
	"K·d/yr":            {"K·j/an", "K·d/yr"},
	"%":                 {"%", "%"},
	"% (1σ)":            {"% (1σ)", "% (1σ)"},
	"%/yr":              {"%/an", "%/yr"},
	"%/yr (1σ)":         {"%/an (1σ)", "%/yr (1σ)"},
	"%/yr of CAPEX":     {"%/an de l'investissement", "%/yr of CAPEX"},
	"fraction":          {"fraction", "fraction"},
	"%/yr of capex":     {"%/an de l'investissement", "%/yr of capex"},
	"% of capex HT":     {"% de l'investissement HT", "% of capex excl. VAT"},
	"% per 100 km (1σ)": {"% par 100 km (1σ)", "% per 100 km (1σ)"},
	"€/Wp HT":           {"€/Wc HT", "€/Wp excl. VAT"},
	"factor":            {"facteur", "factor"},
	"fraction (1σ)":     {"fraction (1σ)", "fraction (1σ)"},
	"ratio":             {"rapport", "ratio"},
	"draws":             {"tirages", "draws"},
	"levels":            {"étages", "levels"},
	"yr":                {"ans", "yr"},
	"EUR":               {"€", "€"},
	"kEUR":              {"k€", "k€"},
	"MEUR":              {"M€", "M€"},
	"€":                 {"€", "€"},
	"EUR/kWh":           {"€/kWh", "€/kWh"},
	"€/kWh":             {"€/kWh", "€/kWh"},
	"EUR/kWp":           {"€/kWc", "€/kWp"},
	"€/kWp":             {"€/kWc", "€/kWp"},
	"EUR/kWp/yr":        {"€/kWc/an", "€/kWp/yr"},
	"€/kWp/yr":          {"€/kWc/an", "€/kWp/yr"},
	"EUR/kW":            {"€/kW", "€/kW"},
	"€/kW":              {"€/kW", "€/kW"},
	"EUR/yr":            {"€/an", "€/yr"},
	"€/yr":              {"€/an", "€/yr"},
	"EUR/m":             {"€/m", "€/m"},
	"€/m":               {"€/m", "€/m"},
	"EUR/unit":          {"€/unité", "€/unit"},
	"kgCO2e/yr":         {"kg CO₂e/an", "kg CO₂e/yr"},
	"tCO2e/yr":          {"t CO₂e/an", "t CO₂e/yr"},
	"ktCO2e/yr":         {"kt CO₂e/an", "kt CO₂e/yr"},
	"kgCO2e/kWh":        {"kg CO₂e/kWh", "kg CO₂e/kWh"},
	"gCO2e/kWh":         {"g CO₂e/kWh", "g CO₂e/kWh"},
}

// UnitLabel returns the display form of a unit symbol in lang, and false
// when the unit has none declared (the unit is then returned as it is).
func UnitLabel(unit, lang string) (string, bool) {
	l, ok := unitLabels[unit]
	if !ok {
		return unit, false
	}
	return l.In(lang), true
}

// unitScales are the larger units a quantity is shown in for reading:
// each step divides by its factor (kWh/yr → MWh/yr → GWh/yr, ...).
var unitScales = map[string][]struct {
	factor float64
	unit   string
}{
	"kWh":       {{1, "kWh"}, {1e3, "MWh"}, {1e6, "GWh"}},
	"kWh/yr":    {{1, "kWh/yr"}, {1e3, "MWh/yr"}, {1e6, "GWh/yr"}},
	"kWp":       {{1, "kWp"}, {1e3, "MWp"}, {1e6, "GWp"}},
	"kW":        {{1, "kW"}, {1e3, "MW"}, {1e6, "GW"}},
	"kgCO2e/yr": {{1, "kgCO2e/yr"}, {1e3, "tCO2e/yr"}}, // PCAET diagnostics count in t CO₂e
	"EUR":       {{1, "EUR"}, {1e3, "kEUR"}, {1e6, "MEUR"}},
	"m2":        {{1, "m2"}, {1e4, "ha"}, {1e6, "km2"}},
}

// ScaleUnit returns the divisor and the unit symbol in which a quantity of
// magnitude x (in unit) reads with at most three integer digits: 239 496 kWp
// → (1000, "MWp"), 2.4e8 kWh/yr → (1e6, "GWh/yr"). A unit without larger
// steps, and a non-finite x, give (1, unit). Pass the largest value of a
// table column to give the whole column one unit.
func ScaleUnit(x float64, unit string) (factor float64, scaled string) {
	factor, scaled = 1, unit
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return factor, scaled
	}
	for _, s := range unitScales[unit] {
		if math.Abs(x) >= s.factor {
			factor, scaled = s.factor, s.unit
		}
	}
	return factor, scaled
}

// SignificantDecimals returns x rounded to n significant figures and the
// number of decimals that shows them (0 for |x| ≥ 10^(n-1)): planning
// documents give 2–3 significant figures, e.g. (239.496, 3) → (239, 0),
// (2.0641, 3) → (2.06, 2), (12 345, 3) → (12 300, 0). Zero and non-finite
// values are returned unchanged with 0 decimals.
func SignificantDecimals(x float64, n int) (float64, int) {
	if x == 0 || n <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x, 0
	}
	mag := int(math.Floor(math.Log10(math.Abs(x)))) // 239 → 2
	dec := n - 1 - mag
	p := math.Pow10(dec)
	r := math.Round(x*p) / p
	if m := int(math.Floor(math.Log10(math.Abs(r)))); m > mag { // 99.96 → 100
		dec--
	}
	return r, max(dec, 0)
}

// codeLabels are the display forms of the values of code columns
// (Kind KindCode) and of the yes/no of flags: the study writes stable
// English codes (model/pv suitability classes after Sonnendach, geo roof
// types and height sources, heat periods, zone kinds); readers show them in
// French or English from this one table (the web map's columns.js is
// generated from it, the annex reads it).
var codeLabels = map[string]Label{
	// rooftop PV suitability (model/pv.Suitability)
	"excellent": {"excellent", "excellent"},
	"very_good": {"très bon", "very good"},
	"good":      {"bon", "good"},
	"medium":    {"moyen", "medium"},
	"low":       {"faible", "low"},
	// roof types and sources (geo)
	"flat":      {"plat", "flat"},
	"pitched":   {"en pente", "pitched"},
	"gable":     {"à deux pans", "gable"},
	"hip":       {"à quatre pans", "hip"},
	"shed":      {"monopente", "shed"},
	"attribute": {"attribut du fichier", "file attribute"},
	"levels":    {"nombre d'étages", "number of storeys"},
	"default":   {"valeur par défaut", "default value"},
	"rule":      {"règle de surface", "area rule"},
	"buildings": {"bâtiments", "buildings"},
	"geometry":  {"géométrie", "geometry"},
	// heat (model/heat)
	"unknown":     {"inconnue", "unknown"},
	"before_1975": {"avant 1975", "before 1975"},
	// heat use, emitters and ground source (model/heat)
	"residential":            {"résidentiel", "residential"},
	"tertiary":               {"tertiaire", "tertiary"},
	"industrial":             {"industriel", "industrial"},
	"unheated":               {"non chauffé", "unheated"},
	"default_residential":    {"logement par défaut (aucun usage connu)", "housing by default (no known use)"},
	"dwellings":              {"nombre de logements", "dwelling count"},
	"usage1":                 {"usage principal du fichier", "main use in the file"},
	"usage2":                 {"usage secondaire du fichier", "secondary use in the file"},
	"annex_small":            {"annexe (moins de 30 m²)", "annex (under 30 m²)"},
	"annex_low":              {"annexe basse", "low annex"},
	"annex_row":              {"rangée de garages", "row of garages"},
	"hall":                   {"hall ou entrepôt", "hall or warehouse"},
	"large":                  {"grand bâtiment (tertiaire)", "large building (tertiary)"},
	"floor_lt":               {"plancher chauffant basse température", "low-temperature floor heating"},
	"radiator_55":            {"radiateurs 55 °C", "radiators 55 °C"},
	"radiator_ht":            {"radiateurs haute température", "high-temperature radiators"},
	"vdi4640_simplified":     {"méthode simplifiée VDI 4640", "VDI 4640 simplified method"},
	"needs_trt_simulation":   {"test de réponse thermique / simulation nécessaire", "needs a thermal response test / simulation"},
	"gmi_declaration":        {"GMI : déclaration", "GMI: declaration"},
	"gmi_expert_certificate": {"GMI : attestation d'expert", "GMI: expert certificate"},
	"gmi_to_verify":          {"GMI : à vérifier", "GMI: to verify"},
	// PV owners (model/econ)
	"household": {"ménage", "household"},
	"business":  {"entreprise", "business"},
	"community": {"collectivité", "community"},
	"farm":      {"exploitation agricole", "farm"},
	// roof and shading sources (geo/surface)
	"observed":          {"observé (modèle numérique de surface)", "observed (surface model)"},
	"modelled":          {"modélisé (règle d'emprise)", "modelled (footprint rule)"},
	"dsm":               {"modèle numérique de surface", "surface model"},
	"dsm+terrain":       {"modèle numérique de surface + relief", "surface model + terrain"},
	"buildings+terrain": {"bâtiments + relief", "buildings + terrain"},
	// zones
	"green":    {"verte", "green"},
	"orange":   {"orange", "orange"},
	"red":      {"rouge", "red"},
	"heritage": {"patrimoine protégé", "heritage"},
	"commune":  {"commune", "municipality"},
}

// CodeLabel returns the display form of a code value in lang; ok is false
// for a value without one (shown as it is).
func CodeLabel(value, lang string) (string, bool) {
	l, ok := codeLabels[value]
	if !ok {
		return value, false
	}
	return l.In(lang), true
}

// CodeLabels returns a copy of the code table (value → labels), e.g. to
// generate the web map's labels.
func CodeLabels() map[string]Label {
	out := make(map[string]Label, len(codeLabels))
	for k, v := range codeLabels {
		out[k] = v
	}
	return out
}

// Title returns the column's label in lang, or its name when it has none.
func (c Column) Title(lang string) string {
	if s := c.Label.In(lang); s != "" {
		return s
	}
	return c.Name
}

// Heading is the column's title followed by its display unit in
// parentheses, e.g. "Production PV annuelle (kWh/an)".
func (c Column) Heading(lang string) string {
	t := c.Title(lang)
	if u, _ := UnitLabel(c.Unit, lang); u != "" {
		t += " (" + u + ")"
	}
	return t
}

// Round rounds x to the column's declared decimals (x unchanged when none
// are declared or x is not finite). Halves round away from zero.
func (c Column) Round(x float64) float64 {
	if c.Decimals == nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow10(*c.Decimals)
	r := math.Round(x*p) / p
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

// described reports whether the column carries any reading fact.
func (c Column) described() bool {
	return c.Label != (Label{}) || c.Decimals != nil || c.Flags != 0 || c.Kind != ""
}

// validateFacts checks the reading facts of a column (a column without
// facts is valid).
func (c Column) validateFacts() error {
	if !c.described() {
		return nil
	}
	switch {
	case c.Label.FR == "" || c.Label.EN == "":
		return fmt.Errorf("column %s: a described column needs a French and an English label", c.Name)
	case c.Decimals != nil && (*c.Decimals < 0 || *c.Decimals > 9):
		return fmt.Errorf("column %s: decimals %d outside [0, 9]", c.Name, *c.Decimals)
	case c.Decimals != nil && c.Type != Real:
		return fmt.Errorf("column %s: decimals apply to real columns, not %s", c.Name, c.Type)
	case c.Flags.Has(Summable) && !c.Type.Numeric():
		return fmt.Errorf("column %s: a %s column cannot be summable", c.Name, c.Type)
	case c.Flags.Has(Summable) && c.Kind != KindMeasure:
		return fmt.Errorf("column %s: a %s column cannot be summable", c.Name, c.Kind)
	case c.Kind == KindBool && c.Type != Integer, c.Kind == KindYear && c.Type != Integer:
		return fmt.Errorf("column %s: kind %s needs an integer column, not %s", c.Name, c.Kind, c.Type)
	case c.Kind == KindCode && c.Type != Text:
		return fmt.Errorf("column %s: kind code needs a text column, not %s", c.Name, c.Type)
	}
	switch c.Kind {
	case KindMeasure, KindID, KindBool, KindYear, KindCode:
	default:
		return fmt.Errorf("column %s: unknown kind %q", c.Name, c.Kind)
	}
	if _, ok := unitLabels[c.Unit]; !ok {
		return fmt.Errorf("column %s: unit %q has no display form (data.UnitLabel)", c.Name, c.Unit)
	}
	if c.Flags>>len(flagNames) != 0 {
		return fmt.Errorf("column %s: unknown flags %d", c.Name, int(c.Flags))
	}
	return nil
}

// Flagged returns the names of the columns having all of want, in order.
func (l Layer) Flagged(want Flags) []string {
	var out []string
	for _, c := range l.Columns {
		if c.Flags.Has(want) {
			out = append(out, c.Name)
		}
	}
	return out
}

// Schema is a set of layer schemas with their columns' reading facts, e.g.
// the layers a study writes.
type Schema []Layer

// Layer returns the named layer.
func (s Schema) Layer(name string) (Layer, bool) {
	for _, l := range s {
		if l.Name == name {
			return l, true
		}
	}
	return Layer{}, false
}

// Validate checks every layer (storage schema and reading facts) and that
// a column name means the same across layers: same label, unit and kind
// (the web map keys its labels by column name).
func (s Schema) Validate() error {
	byName := map[string]Column{}
	for _, l := range s {
		if err := l.Validate(); err != nil {
			return err
		}
		for _, c := range l.Columns {
			if err := c.validateFacts(); err != nil {
				return fmt.Errorf("%w: layer %s: %v", ErrInvalidSchema, l.Name, err)
			}
			if o, ok := byName[c.Name]; ok && (o.Label != c.Label || o.Unit != c.Unit || o.Kind != c.Kind) {
				return fmt.Errorf("%w: layer %s: column %s has label %v, unit %q, kind %q, elsewhere %v, %q, %q",
					ErrInvalidSchema, l.Name, c.Name, c.Label, c.Unit, c.Kind, o.Label, o.Unit, o.Kind)
			}
			byName[c.Name] = c
		}
	}
	return nil
}

// Describe returns l (as read from a store) with the reading facts of the
// schema's layer of the same name, column by column: a stored column takes
// the facts of the schema column of the same name and type. Stored columns
// the schema does not know, or whose type differs, keep their own facts
// (none for stores written before the facts existed). Storage attributes
// (name, type, key, SRID) are never changed.
func (s Schema) Describe(l Layer) Layer {
	ref, ok := s.Layer(l.Name)
	if !ok {
		return l
	}
	out := l
	out.Columns = make([]Column, len(l.Columns))
	for i, c := range l.Columns {
		if j := ref.Index(c.Name); j >= 0 && ref.Columns[j].Type == c.Type {
			r := ref.Columns[j]
			c.Label, c.Decimals, c.Flags, c.Kind = r.Label, r.Decimals, r.Flags, r.Kind
			if c.Unit == "" {
				c.Unit = r.Unit
			}
			if c.Doc == "" {
				c.Doc = r.Doc
			}
		}
		out.Columns[i] = c
	}
	if out.Title == "" {
		out.Title = ref.Title
	}
	if out.Description == "" {
		out.Description = ref.Description
	}
	return out
}

// MarkdownTable renders the layer's columns as a Markdown table: name,
// type, unit, French label, flags and meaning (the README's "Output
// columns").
func (l Layer) MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| column | type | unit | label (fr) | flags | meaning |\n|---|---|---|---|---|---|\n")
	for _, c := range l.Columns {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", c.Name, c.Type, c.Unit, mdEscape(c.Label.FR),
			strings.ReplaceAll(c.Flags.String(), ",", ", "), mdEscape(c.Doc))
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
