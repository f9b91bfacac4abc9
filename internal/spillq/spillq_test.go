package spillq

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// reference is uncertainty.Quantile's definition over a sorted copy.
func reference(v []float64, ps ...float64) []float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = stat.Quantile(p, stat.LinInterp, s, nil)
	}
	return out
}

var probs = []float64{0, 0.001, 0.1, 0.25, 1.0 / 3, 0.5, 0.9, 0.999, 1}

// same reports equality (NaN equal to NaN): bit equality except for the
// sign of a zero, which sort.Float64s leaves to the input order (−0 == +0).
func same(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

// check compares the quantiles of v through a Sets of the given budget
// (spilled when budget < len(v)) with the reference.
func check(t testing.TB, v []float64, budget int) {
	t.Helper()
	s := New(t.TempDir(), budget)
	defer s.Close()
	for i := 0; i < len(v); i += 7 { // several appends, as the merge does
		if err := s.Add("k", v[i:min(len(v), i+7)]...); err != nil {
			t.Fatal(err)
		}
	}
	if budget < len(v) && s.Spilled() == 0 {
		t.Fatalf("%d values, budget %d: nothing spilled", len(v), budget)
	}
	got, err := s.Quantiles("k", probs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) == 0 {
		for _, g := range got {
			if !math.IsNaN(g) {
				t.Fatalf("empty list: quantile %v, want NaN", g)
			}
		}
		return
	}
	want := reference(v, probs...)
	for i := range probs {
		if !same(got[i], want[i]) {
			t.Fatalf("n=%d budget=%d p=%v: got %v (%#x), want %v (%#x)", len(v), budget, probs[i], got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
		}
	}
}

func TestQuantileMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() float64{
		"yields":   func() float64 { return 900 + 400*rng.Float64() },           // kWh/kWp: one exponent, narrow
		"shading":  func() float64 { return math.Round(100*rng.Float64()) / 4 }, // many ties
		"signed":   func() float64 { return rng.NormFloat64() * 1e3 },
		"constant": func() float64 { return 3.5 },
		"wide":     func() float64 { return math.Ldexp(rng.Float64(), rng.IntN(200)-100) },
	}
	for name, gen := range gens {
		for _, n := range []int{1, 2, 3, 10, 97, 1000, 5000} {
			v := make([]float64, n)
			for i := range v {
				v[i] = gen()
			}
			for _, budget := range []int{1, 16, 1 << 20} {
				t.Run(fmt.Sprintf("%s/n=%d/budget=%d", name, n, budget), func(t *testing.T) { check(t, v, budget) })
			}
		}
	}
	check(t, nil, 4)
	check(t, []float64{1, math.NaN(), 2, 3, 4, 5}, 2)
	check(t, []float64{math.Inf(-1), 0, math.Inf(1), -1, 1}, 2)
}

// TestKeyOrder checks that Key preserves the order of floats.
func TestKeyOrder(t *testing.T) {
	v := []float64{math.Inf(-1), -math.MaxFloat64, -1, -math.SmallestNonzeroFloat64, 0, math.SmallestNonzeroFloat64, 1, math.MaxFloat64, math.Inf(1)}
	for i := 1; i < len(v); i++ {
		if !(Key(v[i-1]) < Key(v[i])) {
			t.Fatalf("Key(%v) ≥ Key(%v)", v[i-1], v[i])
		}
		if fromKey(Key(v[i])) != v[i] {
			t.Fatalf("fromKey(Key(%v)) = %v", v[i], fromKey(Key(v[i])))
		}
	}
}

// TestSpillShortFile: a spill file cut short is an error, not a quantile.
func TestSpillShortFile(t *testing.T) {
	s := New(t.TempDir(), 2)
	defer s.Close()
	if err := s.Add("k", 1, 2, 3, 4, 5); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(s.sets["k"].path, 12); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Quantiles("k", 0.5); err == nil {
		t.Fatal("truncated spill file: no error")
	}
	if _, err := s.Quantiles("k", 1.5); err == nil {
		t.Fatal("p = 1.5: no error")
	}
}

// FuzzQuantiles decodes arbitrary bytes as float64 values (the spill
// file's encoding) and compares the spilled and in-memory quantiles with
// gonum's.
func FuzzQuantiles(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 240, 63, 0, 0, 0, 0, 0, 0, 0, 64}, uint8(1))
	f.Add(make([]byte, 80), uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, budget uint8) {
		v := make([]float64, 0, len(b)/8)
		for i := 0; i+8 <= len(b); i += 8 {
			v = append(v, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
		}
		check(t, v, int(budget%16)+1)
		check(t, v, 1<<20)
	})
}

func ExampleSets() {
	s := New("", 4) // spills beyond 4 values in memory
	defer s.Close()
	for _, y := range []float64{1210, 1150, 980, 1302, 1120, 1075, 1250} { // kWh/kWp
		if err := s.Add("24322", y); err != nil {
			panic(err)
		}
	}
	q, err := s.Quantiles("24322", 0.1, 0.5, 0.9)
	if err != nil {
		panic(err)
	}
	fmt.Printf("spilled %d, Q10 %.1f Q50 %.1f Q90 %.1f kWh/kWp\n", s.Spilled(), q[0], q[1], q[2])
	// Output: spilled 7, Q10 980.0 Q50 1135.0 Q90 1265.6 kWh/kWp
}
