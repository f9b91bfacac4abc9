package geo

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// AttributeMap maps the fields gisement needs to the attribute names of a
// source file. Each field lists candidate attribute names tried in order;
// matching is case-insensitive and the first non-null value wins. The zero
// value finds nothing: start from DefaultAttributeMap and edit.
type AttributeMap struct {
	// Building fields.
	ID        []string // building identifier
	Height    []string // building height above ground, metres
	Levels    []string // storeys above ground
	Year      []string // construction year (an integer or a date "YYYY-MM-DD")
	Use       []string // main use
	Use2      []string // secondary use (BD TOPO USAGE2)
	Dwellings []string // number of dwellings (BD TOPO NB_LOGTS, BDNB nb_log)
	ParcelRef []string // parcel IDU carried by the building (BDNB batiment_groupe_id: first 14 chars)
	GroundAlt []string // ground altitude, metres (NGF)
	Commune   []string // INSEE commune code
	IRIS      []string // INSEE IRIS code
	RoofType  []string // roof shape ("flat"/"plat"/"terrasse" → flat; any other shape → pitched)
	Fictive   []string // BDNB flag: 1 = fictitious (reconstructed) geometry

	// Parcel fields.
	ParcelID   []string // 14-character IDU
	Prefixe    []string // 3-character prefix (communes associées), "000" usually
	Section    []string // cadastral section
	Numero     []string // parcel number within the section
	Contenance []string // legal area, m²
}

// DefaultAttributeMap covers the sources planners usually have:
//   - BDNB (CSTB): batiment_c, batiment_g, hauteur, altitude_s, code_commu,
//     code_iris, fictive_ge (shapefile-truncated names) and their long forms;
//   - IGN BD TOPO v3, shapefile names (ID/cleabs, HAUTEUR, NB_ETAGES,
//     USAGE1, USAGE2, NB_LOGTS, DATE_APP, Z_MIN_SOL) and GeoPackage/PostgreSQL
//     names (cleabs, hauteur, nombre_d_etages, usage_1, usage_2,
//     nombre_de_logements, date_d_apparition, altitude_minimale_sol);
//   - the BDNB open-data GeoPackage layers: batiment_construction
//     (batiment_construction_id, batiment_groupe_id, code_commune_insee,
//     code_iris, hauteur, altitude_sol, fictive_geom_cstr) joined or not with
//     batiment_groupe_ffo_bat (nb_niveau, annee_construction,
//     usage_niveau_1_txt, nb_log) or its "ffo_bat_"-prefixed compiled form;
//   - OpenStreetMap exports: osm_id, height, building:levels, roof:shape,
//     start_date, building;
//   - Etalab cadastre parcels: id, commune, prefixe, section, numero, contenance.
func DefaultAttributeMap() AttributeMap {
	return AttributeMap{
		ID:         []string{"batiment_c", "batiment_construction_id", "cleabs", "ID", "osm_id", "@id", "id"},
		Height:     []string{"hauteur", "HAUTEUR", "height", "building:height"},
		Levels:     []string{"NB_ETAGES", "nombre_d_etages", "nb_niveaux", "nb_niveau", "ffo_bat_nb_niveau", "building:levels", "levels"},
		Year:       []string{"annee_construction", "ffo_bat_annee_construction", "DATE_APP", "date_d_apparition", "start_date", "year"},
		Use:        []string{"USAGE1", "usage_1", "usage_niveau_1_txt", "ffo_bat_usage_niveau_1_txt", "usage", "building", "type"},
		Use2:       []string{"USAGE2", "usage_2"},
		Dwellings:  []string{"NB_LOGTS", "nombre_de_logements", "nb_log", "ffo_bat_nb_log", "building:flats"},
		ParcelRef:  []string{"batiment_g", "batiment_groupe_id", "parcelle_id", "idu"},
		GroundAlt:  []string{"altitude_s", "altitude_sol", "Z_MIN_SOL", "z_min_sol", "altitude_minimale_sol"},
		Commune:    []string{"code_commu", "code_commune_insee", "INSEE_COM", "code_insee", "commune"},
		IRIS:       []string{"code_iris", "CODE_IRIS", "iris"},
		RoofType:   []string{"roof:shape", "type_toiture", "forme_toit"},
		Fictive:    []string{"fictive_ge", "fictive_geom_cstr"},
		ParcelID:   []string{"id", "idu", "IDU", "id_parcelle"},
		Prefixe:    []string{"prefixe", "com_abs"},
		Section:    []string{"section"},
		Numero:     []string{"numero"},
		Contenance: []string{"contenance"},
	}
}

// lookup returns the first non-nil value among the candidate names
// (case-insensitive), and whether one was found.
func lookup(props map[string]any, names []string) (any, bool) {
	if len(props) == 0 {
		return nil, false
	}
	for _, n := range names {
		if v, ok := props[n]; ok && v != nil {
			return v, true
		}
	}
	// Case-insensitive pass: only when the exact pass failed. One walk of
	// the map for all names (the first name in order that some key matches
	// wins, as with one walk per name).
	best, bestV := len(names), any(nil)
	for k, v := range props {
		if v == nil {
			continue
		}
		for i, n := range names[:best] {
			if foldEqual(k, n) {
				best, bestV = i, v
				break
			}
		}
	}
	return bestV, best < len(names)
}

// foldEqual is strings.EqualFold, answered early when it cannot match:
// first bytes that are both ASCII and differ once lower-cased, or lengths
// that differ with both strings ASCII. (An ASCII letter folds to a
// non-ASCII rune only for "k"/"K", U+212A KELVIN SIGN, and "s"/"S", U+017F
// LONG S, so both shortcuts need ASCII on both sides.)
func foldEqual(a, b string) bool {
	if len(a) > 0 && len(b) > 0 && a[0] < 0x80 && b[0] < 0x80 && lowerASCII(a[0]) != lowerASCII(b[0]) {
		return false
	}
	if len(a) != len(b) && isASCII(a) && isASCII(b) {
		return false
	}
	return strings.EqualFold(a, b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lookupString returns the candidate value as a trimmed string ("" if absent).
// Integral floats are printed without a decimal point ("24322", not "24322.0").
func lookupString(props map[string]any, names []string) string {
	v, ok := lookup(props, names)
	if !ok {
		return ""
	}
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// lookupFloat returns the candidate value as a number. Strings are parsed
// leniently: a leading number is taken and a unit suffix ("12 m", "12m") or a
// decimal comma ("7,5") is accepted, as found in OSM exports. ok is false when
// the attribute is absent, empty or not numeric.
func lookupFloat(props map[string]any, names []string) (float64, bool) {
	v, ok := lookup(props, names)
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case string:
		return parseLeadingFloat(x)
	}
	return 0, false
}

func parseLeadingFloat(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	end := 0
	for end < len(s) && (s[end] == '.' || s[end] == '-' || s[end] == '+' || (s[end] >= '0' && s[end] <= '9')) {
		end++
	}
	if end == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s[:end], 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// lookupYear reads a construction year from an integer or a date string whose
// first four characters are the year ("1950-01-01"). 0 when unknown or
// outside 1000–2100.
func lookupYear(props map[string]any, names []string) int {
	v, ok := lookup(props, names)
	if !ok {
		return 0
	}
	var y int
	switch x := v.(type) {
	case float64:
		y = int(x)
	case int64:
		y = int(x)
	case string:
		x = strings.TrimSpace(x)
		if len(x) >= 4 {
			if n, err := strconv.Atoi(x[:4]); err == nil {
				y = n
			}
		}
	}
	if y < 1000 || y > 2100 {
		return 0
	}
	return y
}

// roofTypeFromAttribute maps a roof-shape attribute value to "flat" or
// "pitched"; "" when the value is empty or unknown.
func roofTypeFromAttribute(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return ""
	case "flat", "plat", "toit plat", "terrasse", "toit-terrasse", "toiture terrasse":
		return RoofFlat
	case "gabled", "hipped", "pyramidal", "skillion", "half-hipped", "gambrel", "mansard",
		"saltbox", "round", "dome", "onion", "cone", "pitched", "pente", "en pente", "deux pans", "quatre pans":
		return RoofPitched
	}
	return ""
}

// Roof type names used in Building.RoofType.
const (
	RoofFlat    = "flat"
	RoofPitched = "pitched"
)

// idu matches a French cadastral parcel identifier (IDU, 14 characters):
// INSEE commune code (5: département digits or 2A/2B, then 3 digits),
// prefix (3 digits, "000" outside merged communes), section (2 characters,
// digits or capitals, e.g. "0A", "AE") and number (4 digits) — the Etalab
// cadastre "id" format. BDNB batiment_groupe_id values starting with "uf"
// (unités foncières spanning several parcels) do not match and are not
// parcel references.
var idu = regexp.MustCompile(`^(?:\d{2}|2A|2B)\d{3}\d{3}[0-9A-Z]{2}\d{4}$`)

// inseeCode matches a 5-character INSEE commune code (département digits
// or 2A/2B, then 3 digits).
var inseeCode = regexp.MustCompile(`^(?:\d{2}|2A|2B)\d{3}$`)

// IsIDU reports whether s is a well-formed 14-character parcel IDU.
func IsIDU(s string) bool { return idu.MatchString(s) }
