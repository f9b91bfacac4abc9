package raster

import (
	"bytes"
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

func loadIrradiation(t testing.TB) ([]IrradiationPoint, IrradiationReport) {
	t.Helper()
	pts, rep, err := ReadIrradiationPointsReport(shareddata.Path(t, "irradiance/solairesimple_irradiation_communes_2025-10.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	return pts, rep
}

func TestReadIrradiationPoints(t *testing.T) {
	pts, rep := loadIrradiation(t)
	t.Logf("report: %+v", rep)
	// SOURCES.md §8: 11,769 data rows, 10,658 distinct INSEE codes.
	if rep.Rows != 11769 || len(pts) != 10658 || rep.Points != 10658 {
		t.Errorf("rows %d, points %d; SOURCES.md says 11769 rows, 10658 INSEE codes", rep.Rows, len(pts))
	}
	if rep.Duplicates+rep.Missing+rep.Points != rep.Rows {
		t.Errorf("rows not accounted for: %+v", rep)
	}
}

func TestReadIrradiationBadRows(t *testing.T) {
	head := "code_insee,commune,lat,lon,irradiation,irradiation_q1_kwhm2,irradiation_q2_kwhm2,irradiation_q3_kwhm2,irradiation_q4_kwhm2\n"
	// Missing value: counted, not an error.
	pts, rep, err := readIrradiationCSV(strings.NewReader(head+
		"1,A,45,1,1300,200,400,500,200\n2,B,45,,1300,200,400,500,200\n1,A,45,1,1300,200,400,500,200\n"), "t.csv")
	if err != nil || len(pts) != 1 || rep.Missing != 1 || rep.Duplicates != 1 {
		t.Fatalf("got %v %+v %v", pts, rep, err)
	}
	if !strings.Contains(rep.MissingDetails[0], "line 3: lon") {
		t.Errorf("missing details %q", rep.MissingDetails)
	}
	_, _, err = readIrradiationCSV(bytes.NewReader([]byte(head+"1,A,45,1,abc,200,400,500,200\n")), "t.csv")
	if !errors.Is(err, ErrIrradiationCSV) || !strings.Contains(err.Error(), "line 2 column irradiation") {
		t.Errorf("error %v", err)
	}
}

// TestIrradiationLeaveOneOut cross-validates the IDW field on 500 random
// communes (seed 1). Bound: MAE < 1.5 % of the mean (≈ 20 kWh/m²·yr) and
// RMSE < 2.5 %: the field must reproduce held-out communes well within the
// ±4–5 % uncertainty of satellite irradiation products (PVGIS-SARAH, Huld
// et al. 2012 doi:10.1016/j.solener.2012.03.006), else the interpolation,
// not the data, would dominate the error budget. It must also beat the
// trivial national-mean predictor by a factor 4.
func TestIrradiationLeaveOneOut(t *testing.T) {
	pts, _ := loadIrradiation(t)
	f, err := NewIrradiationField(pts, IDWOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d points in metropolitan France, %d outside (overseas)", f.Len(), f.Excluded)
	var mean float64
	for i := 0; i < f.Len(); i++ {
		mean += f.Point(i).AnnualKWhM2
	}
	mean /= float64(f.Len())
	rng := rand.New(rand.NewSource(1))
	var ae, se, base float64
	const n = 500
	for _, i := range rng.Perm(f.Len())[:n] {
		p, o := f.LeaveOneOut(i)
		ae += math.Abs(p - o)
		se += (p - o) * (p - o)
		base += math.Abs(mean - o)
	}
	mae, rmse, baseMAE := ae/n, math.Sqrt(se/n), base/n
	t.Logf("LOO n=%d: MAE %.1f kWh/m²·yr, RMSE %.1f, mean %.0f, mean-predictor MAE %.1f", n, mae, rmse, mean, baseMAE)
	if mae > 0.015*mean || rmse > 0.025*mean || mae > baseMAE/4 {
		t.Errorf("LOO MAE %.1f RMSE %.1f exceed the bounds (%.1f, %.1f, %.1f)", mae, rmse, 0.015*mean, 0.025*mean, baseMAE/4)
	}
}

func TestIrradiationPerigueuxAndNorthSouth(t *testing.T) {
	pts, _ := loadIrradiation(t)
	f, err := NewIrradiationField(pts, IDWOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Périgueux (INSEE 24322) is not in the file; its nearest communes in
	// the file include Boulazac Isle Manoire (1357) and Chancelade (1360).
	v := f.IrradiationAt(0.7218, 45.1838)
	nb := f.Neighbours(0.7218, 45.1838, 8)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, n := range nb {
		t.Logf("neighbour %s %s %.1f km: %.0f kWh/m²·yr", n.InseeCode, n.Commune, n.DistanceKm, n.AnnualKWhM2)
		lo, hi = math.Min(lo, n.AnnualKWhM2), math.Max(hi, n.AnnualKWhM2)
	}
	t.Logf("Périgueux: %.1f kWh/m²·yr", v)
	if !(v >= lo && v <= hi) {
		t.Errorf("Périgueux %.1f outside its neighbours' range [%.0f, %.0f]", v, lo, hi)
	}
	// Neither Marseille nor Lille is in the file; interpolate both.
	marseille := f.IrradiationAt(5.3698, 43.2965)
	lille := f.IrradiationAt(3.0573, 50.6292)
	t.Logf("Marseille %.0f, Lille %.0f kWh/m²·yr", marseille, lille)
	if !(marseille > lille*1.3) {
		t.Errorf("Marseille %.0f should be well above Lille %.0f (south sunnier)", marseille, lille)
	}
	g, err := f.Grid(GridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gv, ok := g.Sample(0.7218, 45.1838)
	t.Logf("grid %d×%d at 0.05°, Périgueux bilinear %.1f", g.Width, g.Height, gv)
	if !ok || math.Abs(gv-v) > 15 {
		t.Errorf("grid sample %.1f vs direct %.1f", gv, v)
	}
}

// BenchmarkIrradiationAt: one IDW query (K = 8) on the real point field,
// at fixed pseudo-random points over mainland France (seed 1).
func BenchmarkIrradiationAt(b *testing.B) {
	pts, _ := loadIrradiation(b)
	f, err := NewIrradiationField(pts, IDWOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	q := make([][2]float64, 1024)
	for i := range q {
		q[i] = [2]float64{-1 + 8*rng.Float64(), 43.5 + 6*rng.Float64()}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := q[i%len(q)]
		_ = f.IrradiationAt(p[0], p[1])
		i++
	}
}
