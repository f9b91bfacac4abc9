package heat

import (
	"compress/gzip"
	"encoding/csv"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// TestHPLibGenericAgainstKEYMARK checks the lab part of the chain: hplib's
// Generic_average air/water COP over the EN 14825 average season must be
// within 10 % of the median SCOP declared in the Heat Pump KEYMARK by the
// 5,983 air/water units of hplib's database (SCOP = (η_s + 3) × 2.5 / 100,
// Regulation (EU) 813/2013: η_s = SCOP/CC − F(1), CC = 2.5, F(1) = 3 %),
// for the low- (35 °C) and medium-temperature (55 °C) applications.
func TestHPLibGenericAgainstKEYMARK(t *testing.T) {
	s := 0.0
	for _, h := range en14825AverageHours {
		s += h
	}
	if s != 4910 {
		t.Fatalf("EN 14825 average season %g h, want 4,910", s)
	}
	f, err := os.Open(shareddata.Path(t, "heatpump/hplib_database_2023-04-27.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(zr)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var low, med []float64
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec[col["Group"]] != "1.0" || rec[col["Manufacturer"]] == "Generic" {
			continue
		}
		for _, c := range []struct {
			k   string
			dst *[]float64
		}{{"eta low T [%]", &low}, {"eta medium T [%]", &med}} {
			if v, err := strconv.ParseFloat(rec[col[c.k]], 64); err == nil {
				*c.dst = append(*c.dst, (v+3)*2.5/100)
			}
		}
	}
	if len(low) < 5000 || len(med) < 5000 {
		t.Fatalf("%d / %d declared SCOPs read", len(low), len(med))
	}
	median := func(x []float64) float64 { sort.Float64s(x); return x[len(x)/2] }
	for _, c := range []struct {
		lowTemp  bool
		declared float64
	}{{true, median(low)}, {false, median(med)}} {
		got, err := EN14825SCOPOn(hplibAirCOP, c.lowTemp)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("low-temperature=%v: hplib Generic_average SCOP_on %.2f, KEYMARK declared median %.2f (ratio %.3f)", c.lowTemp, got, c.declared, got/c.declared)
		if math.Abs(got/c.declared-1) > 0.10 {
			t.Fatalf("hplib generic SCOP_on %.2f vs declared median %.2f: more than 10 %% apart", got, c.declared)
		}
	}
}
