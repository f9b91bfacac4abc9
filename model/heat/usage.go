package heat

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
)

// Use and size of a building from its attributes. BD TOPO (IGN, "BATIMENT":
// USAGE1, USAGE2 with values Résidentiel, Annexe, Commercial et services,
// Industriel, Agricole, Religieux, Sportif, Indifférencié; NOMBRE_DE_LOGEMENTS
// (NB_LOGTS), NOMBRE_D_ETAGES (NB_ETAGES, storeys, ground floor included),
// DATE_D_APPARITION (DATE_APP), HAUTEUR) and the BDNB (CSTB: usage_niveau_1,
// nb_log, annee_construction) give them when present; the fallbacks below
// apply otherwise and each use is counted (UsageCounts).
//
// Fallback thresholds, measured on the OpenStreetMap buildings of Périgueux
// that carry a type (© OpenStreetMap contributors, ODbL; 10 % / 50 % / 90 %
// footprint quantiles, m²): garage (n = 22) 15 / 24 / 141, shed (12) 9 / 19
// / 138, house (274) 49 / 94 / 155, detached (66) 52 / 138 / 188, apartments
// (423) 64 / 121 / 378; the typed buildings of 1,000 m² and more are schools,
// hospitals, warehouses, commercial, churches, a fire station and a few
// residential blocks. On the BDNB extract of the same commune (10,381
// buildings, no use attribute), footprints of 1,000 m² and more are 150
// buildings and 21 % of the footprint area.
const (
	UsageFallbackSource = "measured on typed OSM buildings of Périgueux (ODbL): garage/shed median 19-24 m2, house 10th percentile 49 m2, apartments 90th percentile 378 m2; typed >= 1,000 m2 are schools, hospitals, warehouses, commercial, churches"
	// AnnexMaxFootprintM2: without a use, footprints below this are
	// unheated annexes (garages, sheds).
	AnnexMaxFootprintM2 = 30.0
	// AnnexLowMaxFootprintM2 / AnnexLowMaxHeightM: small and low (single
	// storey without a habitable roof): annex. Assumption: ≤ 60 m² and ≤ 3 m
	// (a one-storey house measures ≥ 4 m to the ridge; BDNB Périgueux: 10 %
	// of 60–150 m² buildings are ≤ 5.0 m).
	AnnexLowMaxFootprintM2 = 60.0
	AnnexLowMaxHeightM     = 3.0
	// HallMinFootprintM2 / HallMaxHeightM: large and low (≤ 7 m: one or two
	// storeys of a hall): non-residential hall. LargeMinFootprintM2: any
	// height: non-residential (above the apartments' 90th percentile by a
	// factor 2.6).
	HallMinFootprintM2  = 500.0
	HallMaxHeightM      = 7.0
	LargeMinFootprintM2 = 1000.0
	// StoreyHeightM: floor-to-floor height turning a height into storeys.
	// Assumption 3 m (2.7–3.3).
	StoreyHeightM = 3.0
	// RoofAllowanceM is subtracted from a height taken to the ridge before
	// dividing by StoreyHeightM (pitched or unknown roofs). Assumption: 1.5 m,
	// half a typical 3 m roof rise (a 40° roof over a 7 m half-span rises
	// ≈ 6 m; a 30° roof over 5 m ≈ 3 m): attics count half.
	RoofAllowanceM = 1.5
	// AnnexRow*: a long, narrow, low building (a row of garage boxes):
	// footprint ≤ 150 m², length/width ≥ 4, height ≤ 4 m. Assumption.
	AnnexRowMaxFootprintM2 = 150.0
	AnnexRowMinElongation  = 4.0
	AnnexRowMaxHeightM     = 4.0
	// MultiFamilyMinDwellings: 3 dwellings or more is multi-family (TABULA
	// MFH/AB), 1–2 single-family (SFH/TH, a house with a flat).
	MultiFamilyMinDwellings = 3
)

// UsageParams are the settings of the use and size fallbacks (defaults: the
// constants above, DefaultUsageParams).
type UsageParams struct {
	AnnexMaxFootprintM2, AnnexLowMaxFootprintM2, AnnexLowMaxHeightM   float64
	AnnexRowMaxFootprintM2, AnnexRowMinElongation, AnnexRowMaxHeightM float64
	HallMinFootprintM2, HallMaxHeightM, LargeMinFootprintM2           float64
	StoreyHeightM, RoofAllowanceM                                     float64
	MultiFamilyMinDwellings                                           int
}

// DefaultUsageParams returns the documented defaults.
func DefaultUsageParams() UsageParams {
	return UsageParams{AnnexMaxFootprintM2: AnnexMaxFootprintM2, AnnexLowMaxFootprintM2: AnnexLowMaxFootprintM2,
		AnnexLowMaxHeightM: AnnexLowMaxHeightM, HallMinFootprintM2: HallMinFootprintM2, HallMaxHeightM: HallMaxHeightM,
		LargeMinFootprintM2: LargeMinFootprintM2, StoreyHeightM: StoreyHeightM, RoofAllowanceM: RoofAllowanceM,
		AnnexRowMaxFootprintM2: AnnexRowMaxFootprintM2, AnnexRowMinElongation: AnnexRowMinElongation, AnnexRowMaxHeightM: AnnexRowMaxHeightM,
		MultiFamilyMinDwellings: MultiFamilyMinDwellings}
}

// Validate reports the first out-of-range setting.
func (p UsageParams) Validate() error {
	if err := checkFieldRanges("usage", []rangeCheck{
		{"annex_max_footprint_m2", p.AnnexMaxFootprintM2, 0, 200}, {"annex_low_max_footprint_m2", p.AnnexLowMaxFootprintM2, 0, 500},
		{"annex_low_max_height_m", p.AnnexLowMaxHeightM, 0, 10}, {"hall_min_footprint_m2", p.HallMinFootprintM2, 50, 1e5},
		{"hall_max_height_m", p.HallMaxHeightM, 2, 30}, {"large_min_footprint_m2", p.LargeMinFootprintM2, 50, 1e6},
		{"storey_height_m", p.StoreyHeightM, 2, 10}, {"roof_allowance_m", p.RoofAllowanceM, 0, 10},
		{"annex_row_max_footprint_m2", p.AnnexRowMaxFootprintM2, 0, 1000}, {"annex_row_min_elongation", p.AnnexRowMinElongation, 1, 50},
		{"annex_row_max_height_m", p.AnnexRowMaxHeightM, 0, 10},
	}); err != nil {
		return err
	}
	if p.MultiFamilyMinDwellings < 2 || p.MultiFamilyMinDwellings > 100 {
		return fmt.Errorf("%w: usage multi_family_min_dwellings = %d, want [2, 100]", ErrFieldInput, p.MultiFamilyMinDwellings)
	}
	return nil
}

// UseClass is the heat model's view of a building's use.
type UseClass string

const (
	UseClassResidential UseClass = "residential"
	UseClassTertiary    UseClass = "tertiary"
	UseClassIndustrial  UseClass = "industrial"
	// UseClassUnheated: annexes, agricultural and religious buildings, counted
	// but without heat demand (churches are heated occasionally; a pre-study
	// leaves them out and says so).
	UseClassUnheated UseClass = "unheated"
)

// BuildingAttrs are the attributes a building may carry; unknown numbers
// are NaN (floats) or −1 (integers), unknown strings "".
type BuildingAttrs struct {
	// Usage1, Usage2: BD TOPO USAGE1/USAGE2 or a BDNB usage label.
	Usage1, Usage2 string
	// Dwellings: NB_LOGTS / BDNB nb_log, −1 unknown.
	Dwellings int
	// Storeys: NB_ETAGES (ground floor included), −1 unknown.
	Storeys int
	// Year: construction year (DATE_APP's year, BDNB annee_construction),
	// −1 unknown (see ParseYear).
	Year int
	// FootprintM2 (required), HeightM (NaN unknown; to the ridge unless
	// FlatRoof).
	FootprintM2, HeightM float64
	FlatRoof             bool
	// Elongation is length / width of the footprint's minimum rotated
	// rectangle, NaN unknown.
	Elongation float64
}

// ResolvedUse is the outcome of ResolveUse with the source of each value.
type ResolvedUse struct {
	Use    UseClass
	Heated bool
	// UseSource: "usage1", "usage2", "dwellings", or the fallback rule name
	// ("annex_small", "annex_low", "annex_row", "hall", "large",
	// "default_residential").
	UseSource string
	// MultiFamily from the dwelling count, else from size (≥ 3 storeys or
	// footprint > 250 m²: the rule of the existing model).
	MultiFamily  bool
	KindSource   string // "dwellings" or "size"
	Storeys      int
	StoreySource string // "attribute", "height", "default"
	Year         int    // −1 unknown
	Dwellings    int    // −1 unknown
}

// UsageCounts counts how often each source was used over a territory (safe
// for concurrent use).
type UsageCounts struct {
	m [usageKeys]atomic.Int64
}

const (
	cUsage1 = iota
	cUsage2
	cDwellings
	cAnnexSmall
	cAnnexLow
	cAnnexRow
	cHall
	cLarge
	cDefaultResidential
	cStoreysAttr
	cStoreysHeight
	cStoreysDefault
	cKindDwellings
	cKindSize
	cYearKnown
	cYearUnknown
	usageKeys
)

var usageKeyNames = [usageKeys]string{"use_usage1", "use_usage2", "use_dwellings", "fallback_annex_small", "fallback_annex_low",
	"fallback_annex_row", "fallback_hall", "fallback_large", "fallback_default_residential", "storeys_attribute",
	"storeys_height", "storeys_default", "kind_dwellings", "kind_size", "year_known", "year_unknown"}

// Snapshot returns the counts by name.
func (c *UsageCounts) Snapshot() map[string]int64 {
	out := make(map[string]int64, usageKeys)
	for i := range c.m {
		out[usageKeyNames[i]] = c.m[i].Load()
	}
	return out
}

func (c *UsageCounts) add(k int) {
	if c != nil {
		c.m[k].Add(1)
	}
}

// classifyUsage maps a BD TOPO / BDNB usage label to a use class.
func classifyUsage(u string) (UseClass, bool) {
	s := strings.ToLower(strings.TrimSpace(u))
	switch {
	case s == "" || strings.HasPrefix(s, "indiff"):
		return "", false
	case strings.Contains(s, "sident"), strings.Contains(s, "logement"), strings.Contains(s, "habitat"):
		return UseClassResidential, true
	case strings.Contains(s, "annexe"), strings.Contains(s, "dépendance"), strings.Contains(s, "dependance"),
		strings.Contains(s, "religieux"), strings.Contains(s, "agricole"):
		return UseClassUnheated, true
	case strings.Contains(s, "industri"):
		return UseClassIndustrial, true
	case strings.Contains(s, "commerc"), strings.Contains(s, "service"), strings.Contains(s, "sportif"),
		strings.Contains(s, "tertiaire"), strings.Contains(s, "bureau"), strings.Contains(s, "enseignement"):
		return UseClassTertiary, true
	}
	return "", false
}

// ResolveUse is UsageParams.Resolve with the defaults.
func ResolveUse(a BuildingAttrs, counts *UsageCounts) (ResolvedUse, error) {
	return DefaultUsageParams().Resolve(a, counts)
}

// Resolve decides a building's use, kind (single/multi-family), storeys
// and year from its attributes, counting every source in counts (may be
// nil). Order: USAGE1, then USAGE2 (when USAGE1 is "Indifférencié" or
// empty), then a dwelling count > 0 (residential), then the geometric
// fallbacks (annex_small, annex_low, annex_row, large, hall), else
// residential. Storeys: the attribute, else round((height − roof
// allowance)/StoreyHeightM) ≥ 1, else 1.
func (p UsageParams) Resolve(a BuildingAttrs, counts *UsageCounts) (ResolvedUse, error) {
	if math.IsNaN(a.FootprintM2) || a.FootprintM2 <= 0 || a.FootprintM2 > 1e6 {
		return ResolvedUse{}, fmt.Errorf("%w: footprint %g m² must be in (0, 1e6]", ErrFieldInput, a.FootprintM2)
	}
	if a.Storeys > 200 || a.Dwellings > 100000 {
		return ResolvedUse{}, fmt.Errorf("%w: storeys %d or dwellings %d out of range", ErrFieldInput, a.Storeys, a.Dwellings)
	}
	r := ResolvedUse{Year: -1, Dwellings: a.Dwellings}
	if a.Dwellings < 0 {
		r.Dwellings = -1
	}
	h := a.HeightM
	if !(h > 0 && h < 1000) {
		h = math.NaN()
	}
	if u, ok := classifyUsage(a.Usage1); ok {
		r.Use, r.UseSource = u, "usage1"
		counts.add(cUsage1)
	} else if u, ok := classifyUsage(a.Usage2); ok {
		r.Use, r.UseSource = u, "usage2"
		counts.add(cUsage2)
	} else if a.Dwellings > 0 {
		r.Use, r.UseSource = UseClassResidential, "dwellings"
		counts.add(cDwellings)
	} else {
		switch {
		case a.FootprintM2 < p.AnnexMaxFootprintM2:
			r.Use, r.UseSource = UseClassUnheated, "annex_small"
			counts.add(cAnnexSmall)
		case a.FootprintM2 <= p.AnnexLowMaxFootprintM2 && h <= p.AnnexLowMaxHeightM:
			r.Use, r.UseSource = UseClassUnheated, "annex_low"
			counts.add(cAnnexLow)
		case a.FootprintM2 <= p.AnnexRowMaxFootprintM2 && a.Elongation >= p.AnnexRowMinElongation && h <= p.AnnexRowMaxHeightM:
			r.Use, r.UseSource = UseClassUnheated, "annex_row"
			counts.add(cAnnexRow)
		case a.FootprintM2 >= p.LargeMinFootprintM2:
			r.Use, r.UseSource = UseClassTertiary, "large"
			counts.add(cLarge)
		case a.FootprintM2 >= p.HallMinFootprintM2 && h <= p.HallMaxHeightM:
			r.Use, r.UseSource = UseClassTertiary, "hall"
			counts.add(cHall)
		default:
			r.Use, r.UseSource = UseClassResidential, "default_residential"
			counts.add(cDefaultResidential)
		}
	}
	r.Heated = r.Use != UseClassUnheated

	switch {
	case a.Storeys > 0:
		r.Storeys, r.StoreySource = a.Storeys, "attribute"
		counts.add(cStoreysAttr)
	case !math.IsNaN(h):
		allow := p.RoofAllowanceM
		if a.FlatRoof {
			allow = 0
		}
		r.Storeys, r.StoreySource = max(1, int(math.Round((h-allow)/p.StoreyHeightM))), "height"
		counts.add(cStoreysHeight)
	default:
		r.Storeys, r.StoreySource = 1, "default"
		counts.add(cStoreysDefault)
	}
	if a.Dwellings > 0 {
		r.MultiFamily, r.KindSource = a.Dwellings >= p.MultiFamilyMinDwellings, "dwellings"
		counts.add(cKindDwellings)
	} else {
		r.MultiFamily, r.KindSource = r.Storeys >= 3 || a.FootprintM2 > 250, "size"
		counts.add(cKindSize)
	}
	if a.Year > 1000 && a.Year < 2100 {
		r.Year = a.Year
		counts.add(cYearKnown)
	} else {
		counts.add(cYearUnknown)
	}
	return r, nil
}

// ParseYear reads a construction year from a BD TOPO DATE_APP
// ("YYYY-MM-DD", "YYYY/MM/DD" or "YYYY") or a BDNB year; "" gives −1; an
// unreadable value is an error.
func ParseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return -1, nil
	}
	if len(s) >= 4 {
		if y, err := strconv.Atoi(s[:4]); err == nil && (len(s) == 4 || s[4] == '-' || s[4] == '/') && y > 1000 && y < 2100 {
			return y, nil
		}
	}
	return -1, fmt.Errorf("%w: construction date %q: want YYYY or YYYY-MM-DD", ErrFieldInput, s)
}
