package raster

// Irradiance and climate grids: an annual global horizontal irradiation
// layer, optionally seasonal (quarterly or monthly) irradiation layers and
// mean air temperature layers, read from a multi-band GeoTIFF, a single-band
// ESRI ASCII grid or the per-commune point CSV, and sampled at a place.
//
// Layouts and units met in practice:
//   - Global Solar Atlas (Solargis for the World Bank/ESMAP, "Global Solar
//     Atlas 2.0 Technical Report", World Bank, Washington DC, 2019): one
//     single-band GeoTIFF per layer (GHI, DNI, DIF, GTI, PVOUT, TEMP), EPSG:4326.
//     The "LTAy_AvgDailyTotals" product holds long-term averages of DAILY
//     totals, kWh/m² per day (GHI ≈ 3.0–3.9 over France); the yearly/monthly
//     totals product holds kWh/m² per year or per month; TEMP is °C.
//   - PVGIS raster maps (EU JRC): annual sums kWh/m²·yr.
//   - the derived France grid of shared data: band 1 annual kWh/m²·yr, bands
//     2–5 quarterly sums kWh/m², bands 6–9 quarterly mean temperature °C,
//     roles and units in GDAL metadata items BAND_1…BAND_9.
//   - climate reanalyses sometimes give mean irradiance, W/m².
//
// Every irradiation band is converted to the SUM over its period (kWh/m² per
// year, quarter or month of a non-leap year) and its magnitude is checked
// against what the Earth's surface can receive, so that a grid of daily sums
// declared (or mistaken) as yearly sums is refused instead of scaling a
// weather year by 1/365.

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gisement/gisement/geo/crs"
)

// ErrClimateGrid is wrapped by errors about an irradiance/climate grid
// (roles, units, magnitudes, no data at a point).
var ErrClimateGrid = errors.New("invalid irradiance grid")

// Quantity is what a band holds.
type Quantity string

const (
	QuantityGHI  Quantity = "ghi"  // global horizontal irradiation
	QuantityTemp Quantity = "temp" // mean air temperature at 2 m, °C
)

// BandRole is the role of one band: a quantity over a period. Periods is 1
// (the year), 4 (quarters Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec) or 12
// (months); Index is the 0-based period.
type BandRole struct {
	Quantity Quantity
	Periods  int
	Index    int
}

func (r BandRole) String() string {
	q := string(r.Quantity)
	switch r.Periods {
	case 4:
		return fmt.Sprintf("%s_q%d", q, r.Index+1)
	case 12:
		return fmt.Sprintf("%s_m%02d", q, r.Index+1)
	}
	return q
}

// label is a French-free human label of the role ("quarter 2 GHI").
func (r BandRole) label() string {
	name := map[Quantity]string{QuantityGHI: "GHI", QuantityTemp: "mean air temperature"}[r.Quantity]
	switch r.Periods {
	case 4:
		return fmt.Sprintf("Q%d %s", r.Index+1, name)
	case 12:
		return fmt.Sprintf("month %d %s", r.Index+1, name)
	}
	return "annual " + name
}

// ParseBandRole parses an explicit role: "ghi" (annual), "ghi_q1"…"ghi_q4",
// "ghi_m01"…"ghi_m12", the same with "temp", or "-"/"skip" (band ignored,
// returned with an empty Quantity).
func ParseBandRole(s string) (BandRole, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "-" || s == "skip" || s == "ignore" {
		return BandRole{}, nil
	}
	q, per, _ := strings.Cut(s, "_")
	var r BandRole
	switch q {
	case "ghi":
		r.Quantity = QuantityGHI
	case "temp", "t":
		r.Quantity = QuantityTemp
	default:
		return r, fmt.Errorf("%w: role %q: want ghi, ghi_q1…ghi_q4, ghi_m01…ghi_m12, temp[_q1…|_m01…] or -", ErrClimateGrid, s)
	}
	r.Periods = 1
	if per == "" || per == "annual" || per == "yr" {
		return r, nil
	}
	if len(per) >= 2 && (per[0] == 'q' || per[0] == 'm') {
		n, err := strconv.Atoi(per[1:])
		lim := map[byte]int{'q': 4, 'm': 12}[per[0]]
		if err == nil && n >= 1 && n <= lim {
			r.Periods, r.Index = lim, n-1
			return r, nil
		}
	}
	return r, fmt.Errorf("%w: role %q: period %q is not annual, q1…q4 or m01…m12", ErrClimateGrid, s, per)
}

// IrradiationUnit is the unit of an irradiation band.
type IrradiationUnit string

const (
	// UnitKWhM2Period: the sum over the band's period (kWh/m² per year for
	// an annual band, per quarter or month for a seasonal one).
	UnitKWhM2Period IrradiationUnit = "kWh/m2"
	// UnitKWhM2Year: kWh/m² per year (annual bands only).
	UnitKWhM2Year IrradiationUnit = "kWh/m2/yr"
	// UnitKWhM2Day: the mean daily sum over the period, kWh/m² per day
	// (Global Solar Atlas LTAy_AvgDailyTotals).
	UnitKWhM2Day IrradiationUnit = "kWh/m2/day"
	// UnitWM2: the mean irradiance over the period, W/m².
	UnitWM2 IrradiationUnit = "W/m2"
)

// ParseIrradiationUnit recognises a unit written in metadata or on the
// command line ("kWh/m2/yr", "kWh/m²·an", "kWh m-2 day-1", "W/m2", ...).
func ParseIrradiationUnit(s string) (IrradiationUnit, bool) {
	l := normUnit(s)
	switch {
	case l == "":
		return "", false
	case strings.Contains(l, "kwh/m2"):
		rest := l[strings.Index(l, "kwh/m2")+len("kwh/m2"):]
		switch {
		case rest == "":
			return UnitKWhM2Period, true
		case hasAny(rest, "/day", "/d", "/jour", "/j", "day-1", "d-1", "perday"):
			return UnitKWhM2Day, true
		case hasAny(rest, "/yr", "/year", "/y", "/an", "/a", "yr-1", "year-1", "a-1", "peryear"):
			return UnitKWhM2Year, true
		case hasAny(rest, "/month", "/quarter", "/mois", "/trimestre", "/period"):
			return UnitKWhM2Period, true
		}
	case l == "w/m2" || strings.HasPrefix(l, "w/m2") && !strings.Contains(l, "h"):
		return UnitWM2, true
	}
	return "", false
}

// normUnit lowercases and normalises the spellings of "kWh/m²·yr".
func normUnit(s string) string {
	l := strings.ToLower(strings.TrimSpace(s))
	r := strings.NewReplacer("²", "2", "·", "/", " per ", "/", "^", "", " m-2", "/m2", "m-2", "/m2", "  ", " ")
	l = r.Replace(l)
	l = strings.ReplaceAll(l, " ", "")
	l = strings.ReplaceAll(l, "//", "/")
	return l
}

func hasAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// daysOfPeriod returns the days of period i of n (1, 4 or 12) in a
// non-leap year.
func daysOfPeriod(n, i int) float64 {
	month := [12]float64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	switch n {
	case 4:
		return month[3*i] + month[3*i+1] + month[3*i+2]
	case 12:
		return month[i]
	}
	return 365
}

// toPeriodSum returns the factor converting a value in unit u to the sum
// over period i of n, kWh/m²; ok is false for a yearly unit on a seasonal band.
func toPeriodSum(u IrradiationUnit, n, i int) (float64, bool) {
	d := daysOfPeriod(n, i)
	switch u {
	case UnitKWhM2Period:
		return 1, true
	case UnitKWhM2Year:
		return 1, n == 1
	case UnitKWhM2Day:
		return d, true
	case UnitWM2:
		return d * 24 / 1000, true
	}
	return 0, false
}

// Plausible mean daily horizontal irradiation at the Earth's surface,
// kWh/m²·day. Annual: 500–3000 kWh/m²·yr (the sunniest deserts receive
// about 2,900; northern Europe about 800, so France lies between 1,100 and
// 1,900 — Global Solar Atlas 2.0 technical report, GHI map). A season may be
// darker (polar winter months) or brighter (desert summer months).
const (
	minAnnualDailyKWhM2   = 500.0 / 365
	maxAnnualDailyKWhM2   = 3000.0 / 365
	minSeasonalDailyKWhM2 = 0.05
	maxSeasonalDailyKWhM2 = 9.5
	// Mean air temperatures of a season or year, °C.
	minTempC, maxTempC = -60.0, 50.0
)

// ClimateGridOptions configure ReadClimateGrid.
type ClimateGridOptions struct {
	// Roles gives one role per band in band order (see ParseBandRole),
	// overriding the file's metadata; nil = from the metadata, or "ghi" for
	// a single band without metadata.
	Roles []string
	// Unit of every irradiation band, overriding the metadata ("" = from the
	// metadata, else inferred from the magnitudes when only one unit fits).
	Unit string
	// EPSG of a raster that does not declare its CRS (4326 or 2154).
	EPSG int
	// IDW configures the interpolation of the point CSV.
	IDW IDWOptions
}

// ClimateBand describes one band used by a ClimateGrid.
type ClimateBand struct {
	Band  int // 1-based band number in the file
	Role  BandRole
	Unit  IrradiationUnit // irradiation bands only
	Label string          // description found in the file, if any
	// From tells where the role and unit came from: "metadata", "option",
	// "magnitude" (unit inferred) or "default".
	RoleFrom, UnitFrom string
	// ToSum converts a cell value to kWh/m² over the band's period.
	ToSum float64
	// MedianKWhM2Day is the median over the valid cells of the mean daily
	// irradiation, kWh/m²·day (irradiation bands), or the median °C.
	Median float64
}

// ClimateGrid is an irradiance/climate grid ready to be sampled.
type ClimateGrid struct {
	Source string // file
	Format string // "geotiff", "ascii-grid", "points-csv"
	EPSG   int    // CRS of the raster (4326 or 2154; 0 for points)
	Bands  []ClimateBand
	// Seasons is 4 or 12 when the grid has a full set of seasonal
	// irradiation bands, 0 otherwise; TempPeriods likewise for temperature
	// (1, 4 or 12; 0 = none).
	Seasons, TempPeriods int

	grids    []*Grid // parallel to Bands (rasters)
	field    *IrradiationField
	annual   int    // index in Bands, -1 when the annual sum is Σ seasons
	seasonal []int  // index in Bands per season
	temps    []int  // index in Bands per temperature period
	fromLL   xyFunc // lon/lat → grid CRS
	fromL93  xyFunc // Lambert-93 → grid CRS
}

// ClimateSample is the grid at one place.
type ClimateSample struct {
	// AnnualKWhM2 is the annual horizontal irradiation, kWh/m²·yr.
	AnnualKWhM2 float64
	// SeasonalKWhM2 is the horizontal irradiation of each quarter or month,
	// kWh/m² (nil when the grid has no seasonal bands).
	SeasonalKWhM2 []float64
	// TempC is the mean air temperature per period (1, 4 or 12 values, °C;
	// nil when the grid has none).
	TempC []float64
}

// ReadClimateGrid reads an irradiance/climate grid: a GeoTIFF (.tif, .tiff;
// every band), an ESRI ASCII grid (.asc, .asc.gz; one band) or the
// per-commune point CSV (.csv, .csv.gz).
func ReadClimateGrid(path string, o ClimateGridOptions) (*ClimateGrid, error) {
	lp := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lp, ".csv") || strings.HasSuffix(lp, ".csv.gz"):
		if len(o.Roles) > 0 || o.Unit != "" {
			return nil, fmt.Errorf("%w: %s: the point CSV has fixed columns (annual and quarterly kWh/m²); roles and unit options apply to rasters", ErrClimateGrid, path)
		}
		pts, err := ReadIrradiationPoints(path)
		if err != nil {
			return nil, err
		}
		f, err := NewIrradiationField(pts, o.IDW)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return NewClimateGridFromField(f, path), nil
	case strings.HasSuffix(lp, ".tif") || strings.HasSuffix(lp, ".tiff"):
		b, err := ReadGeoTIFFBands(path, ReadOptions{EPSG: o.EPSG})
		if err != nil {
			return nil, err
		}
		return newRasterClimate(path, "geotiff", b, o)
	case strings.HasSuffix(lp, ".asc") || strings.HasSuffix(lp, ".asc.gz"):
		g, err := ReadASCIIGrid(path, ReadOptions{EPSG: o.EPSG})
		if err != nil {
			return nil, err
		}
		return newRasterClimate(path, "ascii-grid", &Bands{Bands: []*Grid{g}}, o)
	}
	return nil, fmt.Errorf("%w: %s: unknown extension (want .tif/.tiff, .asc[.gz] or .csv[.gz])", ErrClimateGrid, path)
}

// NewClimateGridFromField wraps the per-commune point field: annual and
// quarterly irradiation interpolated by the field's IDW (the annual value is
// exactly IrradiationField.IrradiationAt).
func NewClimateGridFromField(f *IrradiationField, source string) *ClimateGrid {
	g := &ClimateGrid{Source: source, Format: "points-csv", field: f, annual: 0, Seasons: 4}
	g.Bands = append(g.Bands, ClimateBand{Band: 1, Role: BandRole{QuantityGHI, 1, 0}, Unit: UnitKWhM2Year, Label: "irradiation", RoleFrom: "default", UnitFrom: "default", ToSum: 1})
	for q := 0; q < 4; q++ {
		g.seasonal = append(g.seasonal, len(g.Bands))
		g.Bands = append(g.Bands, ClimateBand{Band: 2 + q, Role: BandRole{QuantityGHI, 4, q}, Unit: UnitKWhM2Period,
			Label: fmt.Sprintf("irradiation_q%d_kwhm2", q+1), RoleFrom: "default", UnitFrom: "default", ToSum: 1})
	}
	return g
}

var (
	reQuarter = regexp.MustCompile(`(?:^|[^a-z0-9])(?:q|quarter|trimestre)\s*_?([1-4])(?:[^0-9]|$)`)
	reUnitTxt = regexp.MustCompile(`(?:kwh|wh|w|mj)\s*/?\s*m(?:2|²|-2)\S*`)
	reMonth   = regexp.MustCompile(`(?:^|[^a-z0-9])(?:m|month|mois)\s*(0?[1-9]|1[0-2])(?:[^0-9]|$)`)
	monthName = []string{"jan", "feb|fév|fev", "mar", "apr|avr", "may|mai", "jun|juin", "jul|juil", "aug|aoû|aou", "sep", "oct", "nov", "dec|déc"}
	reMonthNm []*regexp.Regexp
)

func init() {
	for _, n := range monthName {
		reMonthNm = append(reMonthNm, regexp.MustCompile(`(?:^|[^a-zéû])(?:`+n+`)[a-zéû]*(?:[^a-zéû]|$)`))
	}
}

// roleFromLabel guesses a band's role from its description: temperature
// ("temperature", "temp", "t2m", "tair") or global horizontal irradiation
// ("ghi", "global horizontal", "irradiation", "irradiance",
// "ensoleillement"); other layers (DNI, DIF, GTI, PVOUT) are not GHI and get
// no role. Period: "Q1"…"Q4", "M01"…"M12", month names (English or French),
// else annual.
func roleFromLabel(label string) (BandRole, bool) {
	l := strings.ToLower(label)
	var r BandRole
	switch {
	case hasAny(l, "temperature", "température", "temp", "t2m", "tair"):
		r.Quantity = QuantityTemp
	case hasAny(l, "dni", "direct", "dif", "diffus", "gti", "tilt", "pvout", "pv output", "wind", "albedo"):
		return r, false
	case hasAny(l, "ghi", "global horizontal", "irradiation", "irradiance", "ensoleillement", "global radiation", "rayonnement global"):
		r.Quantity = QuantityGHI
	default:
		return r, false
	}
	r.Periods = 1
	l = reUnitTxt.ReplaceAllString(l, " ") // "m2" is not month 2
	if m := reQuarter.FindStringSubmatch(l); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.Periods, r.Index = 4, n-1
		return r, true
	}
	if m := reMonth.FindStringSubmatch(l); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.Periods, r.Index = 12, n-1
		return r, true
	}
	for i, re := range reMonthNm {
		if re.MatchString(l) {
			r.Periods, r.Index = 12, i
			return r, true
		}
	}
	return r, true
}

// bandLabel returns the description of band i (0-based) from the metadata:
// the band's DESCRIPTION, else a dataset item BAND_<i+1>.
func bandLabel(md GDALMetadata, i int) string {
	if d := md.Band(i).Description; d != "" {
		return d
	}
	return md.Dataset[fmt.Sprintf("BAND_%d", i+1)]
}

func newRasterClimate(path, format string, b *Bands, o ClimateGridOptions) (*ClimateGrid, error) {
	fail := func(band int, format string, args ...any) error {
		where := path
		if band > 0 {
			where = fmt.Sprintf("%s: band %d", path, band)
		}
		return fmt.Errorf("%w: %s: %s", ErrClimateGrid, where, fmt.Sprintf(format, args...))
	}
	g0 := b.Bands[0]
	g := &ClimateGrid{Source: path, Format: format, EPSG: g0.EPSG, annual: -1}
	switch g0.EPSG {
	case 4326:
		g.fromLL, g.fromL93 = identityXY, lambert93ToLonLat
	case 2154:
		g.fromLL, g.fromL93 = lonLatToLambert93, identityXY
	case 0:
		return nil, fail(0, "no CRS in the file (no GeoKeys, no .prj): give its EPSG (4326 or 2154)")
	default:
		return nil, fail(0, "CRS EPSG:%d is not supported; reproject to EPSG:4326 or 2154 (gdalwarp -t_srs EPSG:4326)", g0.EPSG)
	}
	if o.Roles != nil && len(o.Roles) != len(b.Bands) {
		return nil, fail(0, "%d roles given for %d bands", len(o.Roles), len(b.Bands))
	}
	var optUnit IrradiationUnit
	if o.Unit != "" {
		u, ok := ParseIrradiationUnit(o.Unit)
		if !ok {
			return nil, fail(0, "unit %q not recognised (kWh/m2/yr, kWh/m2, kWh/m2/day or W/m2)", o.Unit)
		}
		optUnit = u
	}
	seen := map[string]int{}
	for i, grid := range b.Bands {
		md := b.Metadata.Band(i)
		cb := ClimateBand{Band: i + 1, Label: bandLabel(b.Metadata, i)}
		switch {
		case o.Roles != nil:
			r, err := ParseBandRole(o.Roles[i])
			if err != nil {
				return nil, fail(i+1, "%v", err)
			}
			cb.Role, cb.RoleFrom = r, "option"
		case cb.Label != "":
			r, ok := roleFromLabel(cb.Label)
			if !ok {
				if len(b.Bands) == 1 {
					return nil, fail(i+1, "description %q is not global horizontal irradiation or temperature; give the role explicitly", cb.Label)
				}
				continue // another layer (DNI, PVOUT, ...): not used
			}
			cb.Role, cb.RoleFrom = r, "metadata"
		case len(b.Bands) == 1:
			cb.Role, cb.RoleFrom = BandRole{QuantityGHI, 1, 0}, "default"
		default:
			return nil, fail(i+1, "no description in the file's metadata: give the band roles explicitly (e.g. ghi,ghi_q1,ghi_q2,ghi_q3,ghi_q4)")
		}
		if cb.Role.Quantity == "" {
			continue
		}
		if k, dup := seen[cb.Role.String()]; dup {
			return nil, fail(i+1, "role %s already given to band %d", cb.Role, k)
		}
		seen[cb.Role.String()] = i + 1
		if md.HasScale && (md.Scale != 1 || md.Offset != 0) {
			for k, v := range grid.Data {
				if !grid.IsNoData(v) {
					grid.Data[k] = v*md.Scale + md.Offset
				}
			}
			if grid.HasNoData {
				grid.HasNoData = false
				for k, v := range grid.Data {
					if v == grid.NoData*md.Scale+md.Offset {
						grid.Data[k] = math.NaN()
					}
				}
			}
		}
		med, ok := medianValid(grid)
		if !ok {
			return nil, fail(i+1, "no valid cell")
		}
		if cb.Role.Quantity == QuantityTemp {
			cb.Median = med
			if med > 200 && med < 340 {
				return nil, fail(i+1, "%s: median %.1f looks like kelvin; expected °C (%g to %g)", cb.Role.label(), med, minTempC, maxTempC)
			}
			if med < minTempC || med > maxTempC {
				return nil, fail(i+1, "%s: median %.4g is not a mean air temperature in °C (expected %g to %g)", cb.Role.label(), med, minTempC, maxTempC)
			}
		} else {
			declared, from := optUnit, "option"
			if declared == "" {
				if u, ok := ParseIrradiationUnit(md.Unit); ok {
					declared, from = u, "metadata"
				} else if u, ok := unitInLabel(cb.Label); ok {
					declared, from = u, "metadata"
				}
			}
			if err := checkMagnitude(&cb, med, declared, from); err != nil {
				return nil, fail(i+1, "%v", err)
			}
		}
		g.Bands = append(g.Bands, cb)
		g.grids = append(g.grids, grid)
	}
	return g, g.assemble(fail)
}

// unitInLabel finds a unit written inside a description
// ("annual global horizontal irradiation kWh/m2/yr", "Q1 irradiation kWh/m2").
func unitInLabel(label string) (IrradiationUnit, bool) {
	l := strings.ToLower(label)
	for _, key := range []string{"kwh", "w/m", "w m"} {
		if k := strings.Index(l, key); k >= 0 {
			end := strings.IndexAny(l[k:], " ,;()[]")
			s := l[k:]
			if end > 0 {
				s = l[k : k+end]
			}
			if u, ok := ParseIrradiationUnit(s); ok {
				return u, true
			}
		}
	}
	return "", false
}

// checkMagnitude sets cb.Unit and cb.ToSum: the declared unit must give a
// plausible magnitude; without a declared unit the unit is inferred when
// exactly one fits (for seasonal bands several may fit: then ambiguous).
func checkMagnitude(cb *ClimateBand, median float64, declared IrradiationUnit, from string) error {
	n, i := cb.Role.Periods, cb.Role.Index
	d := daysOfPeriod(n, i)
	lo, hi := minSeasonalDailyKWhM2, maxSeasonalDailyKWhM2
	if n == 1 {
		lo, hi = minAnnualDailyKWhM2, maxAnnualDailyKWhM2
	}
	expect := func(u IrradiationUnit) string {
		f, _ := toPeriodSum(u, n, i)
		return fmt.Sprintf("%.4g–%.4g %s", lo*d/f, hi*d/f, u)
	}
	fits := func(u IrradiationUnit) bool {
		f, ok := toPeriodSum(u, n, i)
		if !ok {
			return false
		}
		daily := median * f / d
		return daily >= lo && daily <= hi
	}
	candidates := []IrradiationUnit{UnitKWhM2Period, UnitKWhM2Day, UnitWM2}
	if n == 1 {
		candidates = []IrradiationUnit{UnitKWhM2Year, UnitKWhM2Day, UnitWM2}
	}
	var fitting []IrradiationUnit
	for _, u := range candidates {
		if fits(u) {
			fitting = append(fitting, u)
		}
	}
	if declared != "" {
		if declared == UnitKWhM2Period && n == 1 {
			declared = UnitKWhM2Year
		}
		if _, ok := toPeriodSum(declared, n, i); !ok {
			return fmt.Errorf("%s declared in %s (%s) but a yearly unit cannot apply to a seasonal band", cb.Role.label(), declared, from)
		}
		if !fits(declared) {
			msg := fmt.Sprintf("%s declared in %s (%s) has a median of %.4g, outside the expected magnitude %s", cb.Role.label(), declared, from, median, expect(declared))
			if len(fitting) > 0 {
				msg += fmt.Sprintf("; the values fit %s", fitting[0])
				if fitting[0] == UnitKWhM2Day {
					msg += " (daily sums, e.g. Global Solar Atlas LTAy_AvgDailyTotals)"
				}
				msg += ": declare that unit"
			}
			return errors.New(msg)
		}
		cb.Unit, cb.UnitFrom = declared, from
	} else {
		switch len(fitting) {
		case 0:
			var exp []string
			for _, u := range candidates {
				exp = append(exp, expect(u))
			}
			return fmt.Errorf("%s: median %.4g fits no irradiation unit (expected %s)", cb.Role.label(), median, strings.Join(exp, " or "))
		case 1:
			cb.Unit, cb.UnitFrom = fitting[0], "magnitude"
		default:
			// Resolved against the annual band in assemble, if any.
			cb.Unit, cb.UnitFrom = "", "ambiguous:"+string(fitting[0])+"|"+string(fitting[1])
		}
	}
	if cb.Unit != "" {
		cb.ToSum, _ = toPeriodSum(cb.Unit, n, i)
	}
	cb.Median = median * cb.ToSum / d
	return nil
}

// assemble indexes the bands by role, resolves ambiguous seasonal units
// against the annual band and checks that seasons add up to the year.
func (g *ClimateGrid) assemble(fail func(int, string, ...any) error) error {
	var seasons [13][]int
	temps := map[int][]int{}
	for k, cb := range g.Bands {
		switch {
		case cb.Role.Quantity == QuantityGHI && cb.Role.Periods == 1:
			g.annual = k
		case cb.Role.Quantity == QuantityGHI:
			seasons[cb.Role.Periods] = append(seasons[cb.Role.Periods], k)
		default:
			temps[cb.Role.Periods] = append(temps[cb.Role.Periods], k)
		}
	}
	for _, n := range []int{4, 12} {
		if len(seasons[n]) == 0 {
			continue
		}
		if g.Seasons != 0 {
			return fail(0, "both quarterly and monthly irradiation bands: keep one set")
		}
		if len(seasons[n]) != n {
			return fail(0, "%d of %d seasonal irradiation bands (%s): all are needed", len(seasons[n]), n, g.rolesOf(seasons[n]))
		}
		g.Seasons = n
		g.seasonal = make([]int, n)
		for _, k := range seasons[n] {
			g.seasonal[g.Bands[k].Role.Index] = k
		}
	}
	if g.annual < 0 && g.Seasons == 0 {
		return fail(0, "no annual or seasonal global horizontal irradiation band")
	}
	if err := g.resolveSeasonalUnits(fail); err != nil {
		return err
	}
	for _, n := range []int{1, 4, 12} {
		if len(temps[n]) == 0 {
			continue
		}
		if g.TempPeriods != 0 || len(temps[n]) != n {
			return fail(0, "temperature bands (%s): want one full set (annual, 4 quarters or 12 months)", g.rolesOf(temps[n]))
		}
		g.TempPeriods = n
		g.temps = make([]int, n)
		for _, k := range temps[n] {
			g.temps[g.Bands[k].Role.Index] = k
		}
	}
	return nil
}

func (g *ClimateGrid) rolesOf(ks []int) string {
	var s []string
	for _, k := range ks {
		s = append(s, fmt.Sprintf("band %d %s", g.Bands[k].Band, g.Bands[k].Role))
	}
	return strings.Join(s, ", ")
}

// resolveSeasonalUnits picks, for seasonal bands whose unit is ambiguous,
// the unit whose seasonal sum matches the annual band (within 10 %), and
// checks that the seasons of a grid with an annual band add up to it.
func (g *ClimateGrid) resolveSeasonalUnits(fail func(int, string, ...any) error) error {
	if g.Seasons == 0 {
		return nil
	}
	// Cells where every irradiation band has data, subsampled.
	step := 1
	if n := len(g.grids[0].Data); n > 20000 {
		step = n / 20000
	}
	sumBy := func(units []IrradiationUnit) float64 {
		var ratios []float64
		for c := 0; c < len(g.grids[0].Data); c += step {
			a := g.grids[g.annual].Data[c]
			if g.grids[g.annual].IsNoData(a) || a <= 0 {
				continue
			}
			s := 0.0
			ok := true
			for q, k := range g.seasonal {
				v := g.grids[k].Data[c]
				if g.grids[k].IsNoData(v) {
					ok = false
					break
				}
				f, _ := toPeriodSum(units[q], g.Seasons, q)
				s += v * f
			}
			if ok {
				ratios = append(ratios, s/(a*g.Bands[g.annual].ToSum))
			}
		}
		if len(ratios) == 0 {
			return math.NaN()
		}
		sort.Float64s(ratios)
		return ratios[len(ratios)/2]
	}
	units := make([]IrradiationUnit, g.Seasons)
	ambiguous := false
	for q, k := range g.seasonal {
		units[q] = g.Bands[k].Unit
		if units[q] == "" {
			ambiguous = true
		}
	}
	if g.annual < 0 {
		if ambiguous {
			k := g.seasonal[0]
			return fail(g.Bands[k].Band, "%s: unit ambiguous (%s fit the magnitudes) and no annual band to decide: declare the unit", g.Bands[k].Role.label(), strings.TrimPrefix(g.Bands[k].UnitFrom, "ambiguous:"))
		}
		return nil
	}
	if ambiguous {
		best, bestDev := IrradiationUnit(""), math.Inf(1)
		for _, u := range []IrradiationUnit{UnitKWhM2Period, UnitKWhM2Day, UnitWM2} {
			try := make([]IrradiationUnit, g.Seasons)
			for q := range try {
				try[q] = units[q]
				if try[q] == "" {
					try[q] = u
				}
			}
			if r := sumBy(try); math.Abs(r-1) < bestDev {
				best, bestDev = u, math.Abs(r-1)
			}
		}
		for q, k := range g.seasonal {
			if units[q] == "" {
				units[q] = best
				cb := &g.Bands[k]
				cb.Unit, cb.UnitFrom = best, "magnitude (seasons add up to the annual band)"
				cb.ToSum, _ = toPeriodSum(best, g.Seasons, q)
				cb.Median *= cb.ToSum / daysOfPeriod(g.Seasons, q)
			}
		}
	}
	if r := sumBy(units); !(math.Abs(r-1) <= 0.10) {
		return fail(0, "the %d seasonal irradiation bands add up to %.3g × the annual band (median over the cells; expected 1 ± 0.10): check their units (%s)", g.Seasons, r, units[0])
	}
	return nil
}

func medianValid(g *Grid) (float64, bool) {
	step := 1
	if len(g.Data) > 200000 {
		step = len(g.Data) / 200000
	}
	var vs []float64
	for i := 0; i < len(g.Data); i += step {
		if v := g.Data[i]; !g.IsNoData(v) {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	return vs[len(vs)/2], true
}

// Describe summarises the grid in one line (for study warnings and logs):
// file name, format, CRS, and each set of bands with its unit and where the
// role came from.
func (g *ClimateGrid) Describe() string {
	var parts []string
	for k := 0; k < len(g.Bands); {
		cb := g.Bands[k]
		j := k + 1
		for j < len(g.Bands) && g.Bands[j].Role.Quantity == cb.Role.Quantity && g.Bands[j].Role.Periods == cb.Role.Periods &&
			g.Bands[j].Unit == cb.Unit && g.Bands[j].Band == g.Bands[j-1].Band+1 {
			j++
		}
		u := string(cb.Unit)
		if cb.Role.Quantity == QuantityTemp {
			u = "°C"
		}
		bands := fmt.Sprintf("band %d", cb.Band)
		if j > k+1 {
			bands = fmt.Sprintf("bands %d–%d", cb.Band, g.Bands[j-1].Band)
		}
		what := map[int]string{1: "annual", 4: "quarterly", 12: "monthly"}[cb.Role.Periods]
		name := map[Quantity]string{QuantityGHI: "GHI", QuantityTemp: "temperature"}[cb.Role.Quantity]
		parts = append(parts, fmt.Sprintf("%s %s %s %s (%s)", bands, what, name, u, cb.RoleFrom))
		k = j
	}
	crs := ""
	if g.EPSG != 0 {
		crs = fmt.Sprintf(" EPSG:%d", g.EPSG)
	}
	return fmt.Sprintf("%s (%s%s: %s)", filepath.Base(g.Source), g.Format, crs, strings.Join(parts, ", "))
}

// At samples the grid at (lonDeg, latDeg), WGS84 degrees.
func (g *ClimateGrid) At(lonDeg, latDeg float64) (ClimateSample, error) {
	if g.field != nil {
		return g.pointsAt(lonDeg, latDeg)
	}
	x, y := g.fromLL(lonDeg, latDeg)
	return g.rasterAt(x, y, fmt.Sprintf("(lat %.5f, lon %.5f)", latDeg, lonDeg))
}

// AtLambert93 samples the grid at a Lambert-93 (EPSG:2154) point, metres.
func (g *ClimateGrid) AtLambert93(x, y float64) (ClimateSample, error) {
	if g.field != nil {
		lon, lat := lambert93ToLonLat(x, y)
		return g.pointsAt(lon, lat)
	}
	gx, gy := g.fromL93(x, y)
	return g.rasterAt(gx, gy, fmt.Sprintf("(Lambert-93 x %.1f, y %.1f)", x, y))
}

func (g *ClimateGrid) rasterAt(x, y float64, where string) (ClimateSample, error) {
	var s ClimateSample
	val := func(k int) (float64, error) {
		cb := g.Bands[k]
		v, ok := g.grids[k].Sample(x, y)
		if !ok {
			return 0, fmt.Errorf("%w: %s: band %d (%s): no data at %s (outside the grid or no-data cell)", ErrClimateGrid, g.Source, cb.Band, cb.Role.label(), where)
		}
		if cb.Role.Quantity == QuantityTemp {
			return v, nil
		}
		v *= cb.ToSum
		if !(v > 0) {
			return 0, fmt.Errorf("%w: %s: band %d (%s): irradiation %.4g kWh/m² at %s is not positive", ErrClimateGrid, g.Source, cb.Band, cb.Role.label(), v, where)
		}
		return v, nil
	}
	if g.Seasons > 0 {
		s.SeasonalKWhM2 = make([]float64, g.Seasons)
		sum := 0.0
		for q, k := range g.seasonal {
			v, err := val(k)
			if err != nil {
				return s, err
			}
			s.SeasonalKWhM2[q] = v
			sum += v
		}
		s.AnnualKWhM2 = sum
	}
	if g.annual >= 0 {
		v, err := val(g.annual)
		if err != nil {
			return s, err
		}
		s.AnnualKWhM2 = v
	}
	if g.TempPeriods > 0 {
		s.TempC = make([]float64, g.TempPeriods)
		for q, k := range g.temps {
			v, err := val(k)
			if err != nil {
				return s, err
			}
			s.TempC[q] = v
		}
	}
	return s, nil
}

// pointsAt interpolates the point field: annual by IrradiationAt, quarters
// by the same inverse-distance weights.
func (g *ClimateGrid) pointsAt(lonDeg, latDeg float64) (ClimateSample, error) {
	f := g.field
	s := ClimateSample{AnnualKWhM2: f.IrradiationAt(lonDeg, latDeg), SeasonalKWhM2: make([]float64, 4)}
	x, y := toL93(lonDeg, latDeg)
	var wsum float64
	exact := -1
	f.nearest(x, y, f.k, -1, func(i int, d float64) {
		if exact >= 0 {
			return
		}
		if d < 1 {
			exact = i
			return
		}
		w := math.Pow(d, -f.power)
		for q := range 4 {
			s.SeasonalKWhM2[q] += w * f.pts[i].QuarterlyKWhM2[q]
		}
		wsum += w
	})
	if exact >= 0 {
		copy(s.SeasonalKWhM2, f.pts[exact].QuarterlyKWhM2[:])
	} else {
		for q := range 4 {
			s.SeasonalKWhM2[q] /= wsum
		}
	}
	if !(s.AnnualKWhM2 > 0) {
		return s, fmt.Errorf("%w: %s: no irradiation at (lat %.5f, lon %.5f)", ErrClimateGrid, g.Source, latDeg, lonDeg)
	}
	return s, nil
}

// Field returns the per-commune irradiation field behind a point-CSV grid
// (nil for a raster grid), for checks that need its points (e.g. the
// distance to the nearest commune of /v1/pvcalc's coverage check).
func (g *ClimateGrid) Field() *IrradiationField { return g.field }

// ReadClimateGridFS is ReadClimateGrid on a name in fsys (nil = a file
// path). From an fs.FS only the per-commune point CSV is read (the embedded
// sample ships one); rasters need a file on disk.
func ReadClimateGridFS(fsys fs.FS, name string, o ClimateGridOptions) (*ClimateGrid, error) {
	if fsys == nil {
		return ReadClimateGrid(name, o)
	}
	ln := strings.ToLower(name)
	if !strings.HasSuffix(ln, ".csv") && !strings.HasSuffix(ln, ".csv.gz") {
		return nil, fmt.Errorf("%w: %s: only the point CSV can be read from an embedded file system", ErrClimateGrid, name)
	}
	if len(o.Roles) > 0 || o.Unit != "" {
		return nil, fmt.Errorf("%w: %s: the point CSV has fixed columns (annual and quarterly kWh/m²); roles and unit options apply to rasters", ErrClimateGrid, name)
	}
	pts, err := ReadIrradiationPointsFS(fsys, name)
	if err != nil {
		return nil, err
	}
	f, err := NewIrradiationField(pts, o.IDW)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return NewClimateGridFromField(f, name), nil
}

// xyFunc maps a point between two CRSs (one projection path: geo/crs).
type xyFunc func(x, y float64) (float64, float64)

func identityXY(x, y float64) (float64, float64) { return x, y }

func lambert93ToLonLat(x, y float64) (float64, float64) {
	p := crs.Lambert93ToLonLat([2]float64{x, y})
	return p[0], p[1]
}

func lonLatToLambert93(lon, lat float64) (float64, float64) {
	p := crs.LonLatToLambert93([2]float64{lon, lat})
	return p[0], p[1]
}
