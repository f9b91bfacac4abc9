package raster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/tidwall/rtree"

	"github.com/gisement/gisement/geo/crs"
)

// IrradiationPoint is one commune of the SolaireSimple irradiation point
// field (shared/data SOURCES.md §8): commune centre and irradiation on a
// horizontal plane.
type IrradiationPoint struct {
	InseeCode string
	Commune   string
	LonDeg    float64 // EPSG:4326
	LatDeg    float64
	// AnnualKWhM2 is the annual horizontal irradiation, kWh/m²·yr.
	AnnualKWhM2 float64
	// QuarterlyKWhM2 holds the Q1…Q4 horizontal irradiation, kWh/m² per quarter.
	QuarterlyKWhM2 [4]float64
}

// IrradiationReport tells what ReadIrradiationPoints did with each row.
type IrradiationReport struct {
	Rows int // data rows read
	// Duplicates: rows whose INSEE code was already seen (the same commune
	// listed once per postcode); the first row is kept.
	Duplicates int
	// ConflictingDuplicates: duplicates whose coordinates or values differ
	// from the kept row (first 10 line numbers in ConflictLines).
	ConflictingDuplicates int
	ConflictLines         []int
	// Missing: rows with an empty lat, lon or irradiation value, not used
	// (first 10 "line N: field" in MissingDetails).
	Missing        int
	MissingDetails []string
	Points         int // distinct communes returned
}

// ErrIrradiationCSV is wrapped by errors about the irradiation CSV.
var ErrIrradiationCSV = errors.New("invalid irradiation CSV")

// ReadIrradiationPoints reads the per-commune irradiation CSV (.csv or
// .csv.gz), one point per INSEE code. See ReadIrradiationPointsReport for
// the accounting of duplicate and incomplete rows.
func ReadIrradiationPoints(path string) ([]IrradiationPoint, error) {
	pts, _, err := ReadIrradiationPointsReport(path)
	return pts, err
}

// ReadIrradiationPointsReport is ReadIrradiationPoints that also returns what
// happened to each row. Malformed values (not a number, latitude outside
// ±90, negative irradiation) are errors naming the line and column; empty
// values are counted in the report, not silently skipped.
func ReadIrradiationPointsReport(path string) ([]IrradiationPoint, IrradiationReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, IrradiationReport{}, err
	}
	defer f.Close()
	return readIrradiationFrom(f, path)
}

func readIrradiationCSV(r io.Reader, name string) ([]IrradiationPoint, IrradiationReport, error) {
	var rep IrradiationReport
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	fail := func(line int, col, format string, args ...any) error {
		where := fmt.Sprintf("line %d", line)
		if col != "" {
			where += " column " + col
		}
		return &FormatError{File: name, Where: where, Err: ErrIrradiationCSV, Msg: fmt.Sprintf(format, args...)}
	}
	head, err := cr.Read()
	if err != nil {
		return nil, rep, fail(1, "", "header: %v", err)
	}
	idx := map[string]int{}
	for i, h := range head {
		idx[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	required := []string{"code_insee", "commune", "lat", "lon", "irradiation",
		"irradiation_q1_kwhm2", "irradiation_q2_kwhm2", "irradiation_q3_kwhm2", "irradiation_q4_kwhm2"}
	for _, c := range required {
		if _, ok := idx[c]; !ok {
			return nil, rep, fail(1, c, "missing column")
		}
	}
	seen := map[string]int{}
	var pts []IrradiationPoint
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, rep, fail(line, "", "%v", err)
		}
		rep.Rows++
		get := func(c string) string { return strings.TrimSpace(rec[idx[c]]) }
		var missing []string
		num := func(c string, lo, hi float64) (float64, error) {
			s := get(c)
			if s == "" {
				missing = append(missing, c)
				return math.NaN(), nil
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || !(v >= lo && v <= hi) {
				return 0, fail(line, c, "value %q is not a number in [%g, %g]", s, lo, hi)
			}
			return v, nil
		}
		p := IrradiationPoint{InseeCode: get("code_insee"), Commune: get("commune")}
		if p.InseeCode == "" {
			return nil, rep, fail(line, "code_insee", "empty")
		}
		if p.LatDeg, err = num("lat", -90, 90); err != nil {
			return nil, rep, err
		}
		if p.LonDeg, err = num("lon", -180, 180); err != nil {
			return nil, rep, err
		}
		if p.AnnualKWhM2, err = num("irradiation", 0, 5000); err != nil {
			return nil, rep, err
		}
		for q := 0; q < 4; q++ {
			if p.QuarterlyKWhM2[q], err = num(fmt.Sprintf("irradiation_q%d_kwhm2", q+1), 0, 2000); err != nil {
				return nil, rep, err
			}
		}
		if len(missing) > 0 {
			rep.Missing++
			if len(rep.MissingDetails) < 10 {
				rep.MissingDetails = append(rep.MissingDetails, fmt.Sprintf("line %d: %s", line, strings.Join(missing, ", ")))
			}
			continue
		}
		if k, dup := seen[p.InseeCode]; dup {
			rep.Duplicates++
			q := pts[k]
			if q.LonDeg != p.LonDeg || q.LatDeg != p.LatDeg || q.AnnualKWhM2 != p.AnnualKWhM2 || q.QuarterlyKWhM2 != p.QuarterlyKWhM2 {
				rep.ConflictingDuplicates++
				if len(rep.ConflictLines) < 10 {
					rep.ConflictLines = append(rep.ConflictLines, line)
				}
			}
			continue
		}
		seen[p.InseeCode] = len(pts)
		pts = append(pts, p)
	}
	rep.Points = len(pts)
	if len(pts) == 0 {
		return nil, rep, fail(rep.Rows+1, "", "no usable row")
	}
	return pts, rep, nil
}

// MetropolitanFrance is the default domain of the irradiation field
// (lon/lat degrees, EPSG:4326): mainland France and Corsica. Overseas
// communes (also in the CSV) are far outside Lambert-93's domain.
var MetropolitanFrance = Bounds{MinX: -5.5, MinY: 41.0, MaxX: 10.0, MaxY: 51.5}

// IDWOptions configures inverse-distance weighting.
type IDWOptions struct {
	// K nearest neighbours used (default 8).
	K int
	// Power of the inverse distance (default 2).
	Power float64
	// Domain keeps only the points inside (lon/lat degrees); default
	// MetropolitanFrance.
	Domain *Bounds
}

// IrradiationField interpolates the commune point field by inverse-distance
// weighting (Shepard 1968, doi:10.1145/800186.810616): value = Σ wᵢ vᵢ / Σ wᵢ
// with wᵢ = 1/dᵢ^power over the K nearest communes. Distances are Euclidean
// in Lambert-93 (EPSG:2154, conformal: scale error < 0.1 % over the
// mainland), computed with crs.LonLatToLambert93; the neighbour search uses
// the R-tree github.com/tidwall/rtree (Nearby, best-first kNN).
type IrradiationField struct {
	pts      []IrradiationPoint
	xy       [][2]float64 // Lambert-93 metres
	tree     rtree.RTreeG[int]
	k        int
	power    float64
	Excluded int // points outside the domain, not used
}

// NewIrradiationField indexes the points inside o.Domain.
func NewIrradiationField(points []IrradiationPoint, o IDWOptions) (*IrradiationField, error) {
	if o.K <= 0 {
		o.K = 8
	}
	if o.Power <= 0 {
		o.Power = 2
	}
	dom := MetropolitanFrance
	if o.Domain != nil {
		dom = *o.Domain
	}
	f := &IrradiationField{k: o.K, power: o.Power}
	for _, p := range points {
		if !dom.Contains(p.LonDeg, p.LatDeg) {
			f.Excluded++
			continue
		}
		x, y := toL93(p.LonDeg, p.LatDeg)
		i := len(f.pts)
		f.pts = append(f.pts, p)
		f.xy = append(f.xy, [2]float64{x, y})
		f.tree.Insert([2]float64{x, y}, [2]float64{x, y}, i)
	}
	if len(f.pts) == 0 {
		return nil, fmt.Errorf("irradiation field: no point inside the domain %+v (%d outside)", dom, f.Excluded)
	}
	return f, nil
}

// Len returns the number of points in the field.
func (f *IrradiationField) Len() int { return len(f.pts) }

// Neighbour is one point used by the interpolation, with its distance.
type Neighbour struct {
	IrradiationPoint
	DistanceKm float64
}

// Neighbours returns the k nearest points of (lonDeg, latDeg), nearest first.
func (f *IrradiationField) Neighbours(lonDeg, latDeg float64, k int) []Neighbour {
	x, y := toL93(lonDeg, latDeg)
	var out []Neighbour
	f.nearest(x, y, k, -1, func(i int, d float64) {
		out = append(out, Neighbour{f.pts[i], d / 1000})
	})
	return out
}

func (f *IrradiationField) nearest(x, y float64, k, exclude int, fn func(i int, dM float64)) {
	n := 0
	f.tree.Nearby(rtree.BoxDist[float64, int]([2]float64{x, y}, [2]float64{x, y}, nil),
		func(_, _ [2]float64, i int, _ float64) bool {
			if i == exclude {
				return true
			}
			fn(i, math.Hypot(f.xy[i][0]-x, f.xy[i][1]-y))
			n++
			return n < k
		})
}

// IrradiationAt returns the interpolated annual horizontal irradiation
// (kWh/m²·yr) at (lonDeg, latDeg). A point closer than 1 m to a commune
// centre takes its value.
func (f *IrradiationField) IrradiationAt(lonDeg, latDeg float64) float64 {
	x, y := toL93(lonDeg, latDeg)
	return f.idw(x, y, -1)
}

// toL93 projects lon/lat degrees to Lambert-93 metres.
func toL93(lonDeg, latDeg float64) (x, y float64) {
	p := crs.LonLatToLambert93([2]float64{lonDeg, latDeg})
	return p[0], p[1]
}

func (f *IrradiationField) idw(x, y float64, exclude int) float64 {
	var sum, wsum float64
	exact := -1
	f.nearest(x, y, f.k, exclude, func(i int, d float64) {
		if exact >= 0 {
			return
		}
		if d < 1 {
			exact = i
			return
		}
		w := math.Pow(d, -f.power)
		sum += w * f.pts[i].AnnualKWhM2
		wsum += w
	})
	if exact >= 0 {
		return f.pts[exact].AnnualKWhM2
	}
	return sum / wsum
}

// LeaveOneOut predicts point i from all the others (cross-validation).
func (f *IrradiationField) LeaveOneOut(i int) (predicted, observed float64) {
	return f.idw(f.xy[i][0], f.xy[i][1], i), f.pts[i].AnnualKWhM2
}

// Point returns the i-th point of the field.
func (f *IrradiationField) Point(i int) IrradiationPoint { return f.pts[i] }

// GridOptions configures InterpolateGrid.
type GridOptions struct {
	IDWOptions
	// CellSizeDeg is the cell size in degrees (default 0.05°, ≈ 5.5 km
	// north-south, 3.9 km east-west at 46° N).
	CellSizeDeg float64
	// Bounds of the grid (lon/lat degrees); default: the bounding box of
	// the points inside the domain, snapped outwards to the cell size.
	Bounds *Bounds
}

// InterpolateGrid builds an EPSG:4326 grid of annual horizontal irradiation
// (kWh/m²·yr) from the point field by IDW (see IrradiationField). Every
// cell gets a value (IDW has no gaps); the grid has no no-data value.
func InterpolateGrid(points []IrradiationPoint, o GridOptions) (*Grid, error) {
	f, err := NewIrradiationField(points, o.IDWOptions)
	if err != nil {
		return nil, err
	}
	return f.Grid(o)
}

// Grid rasterises the field (see InterpolateGrid).
func (f *IrradiationField) Grid(o GridOptions) (*Grid, error) {
	cs := o.CellSizeDeg
	if cs <= 0 {
		cs = 0.05
	}
	var b Bounds
	if o.Bounds != nil {
		b = *o.Bounds
	} else {
		b = Bounds{MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
		for _, p := range f.pts {
			b.MinX, b.MaxX = math.Min(b.MinX, p.LonDeg), math.Max(b.MaxX, p.LonDeg)
			b.MinY, b.MaxY = math.Min(b.MinY, p.LatDeg), math.Max(b.MaxY, p.LatDeg)
		}
		b.MinX, b.MinY = math.Floor(b.MinX/cs)*cs, math.Floor(b.MinY/cs)*cs
		b.MaxX, b.MaxY = math.Ceil(b.MaxX/cs)*cs, math.Ceil(b.MaxY/cs)*cs
	}
	w := int(math.Ceil((b.MaxX-b.MinX)/cs - 1e-9))
	h := int(math.Ceil((b.MaxY-b.MinY)/cs - 1e-9))
	if w < 1 {
		w = 1
	}
	if h < 1 {
		h = 1
	}
	if int64(w)*int64(h) > 50_000_000 {
		return nil, fmt.Errorf("%w: irradiation grid of %d×%d cells; raise CellSizeDeg", ErrInvalidGrid, w, h)
	}
	g, err := NewGrid(w, h, b.MinX, b.MinY+float64(h)*cs, cs, -cs, 4326, 0)
	if err != nil {
		return nil, err
	}
	for r := 0; r < h; r++ {
		for c := 0; c < w; c++ {
			lon, lat := g.CellCentre(c, r)
			g.Data[r*w+c] = f.IrradiationAt(lon, lat)
		}
	}
	return g, nil
}
