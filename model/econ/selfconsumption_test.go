package econ

import (
	"math"
	"testing"
)

func TestMatchHourlyNeverAboveLoad(t *testing.T) {
	pv := samplePVShape(t)
	load := mustLoad(t, ProfileH25, 4700)
	prevSelf, prevSlope := 0.0, math.Inf(1)
	for kwp := 0.0; kwp <= 30; kwp += 0.5 {
		r, err := MatchHourly(pv, load, kwp)
		if err != nil {
			t.Fatal(err)
		}
		if r.SelfConsumedKWh > r.LoadKWh+1e-9 || r.SelfConsumedKWh > r.ProductionKWh+1e-9 {
			t.Fatalf("%g kWp: self %g kWh above load %g or production %g", kwp, r.SelfConsumedKWh, r.LoadKWh, r.ProductionKWh)
		}
		slope := (r.SelfConsumedKWh - prevSelf) / 0.5
		if kwp > 0 && (slope < -1e-9 || slope > prevSlope+1e-9) {
			t.Fatalf("%g kWp: self-consumption slope %g after %g: want non-decreasing and concave", kwp, slope, prevSlope)
		}
		if kwp > 0 {
			prevSlope = slope
		}
		prevSelf = r.SelfConsumedKWh
	}
	// Per hour, too.
	r, _ := MatchHourly(pv, load, 1000)
	if math.Abs(r.SelfConsumedKWh-r.LoadKWh) > 0.02*r.LoadKWh {
		t.Logf("1000 kWp covers %.1f %% of the load (night hours stay uncovered)", 100*r.SelfSufficiencyShare)
	}
	if r.SelfSufficiencyShare > 0.7 {
		t.Errorf("1000 kWp: self-sufficiency %.2f; without storage the night load cannot be covered", r.SelfSufficiencyShare)
	}
}

func TestMatchHourlyEdgeCases(t *testing.T) {
	pv := []float64{0, 1, 2, 1, 0}
	load := []float64{1, 1, 1, 1, 1}
	r, err := MatchHourly(pv, load, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.SelfConsumedKWh != 3 || r.ExportedKWh != 1 || r.ProductionKWh != 4 || r.LoadKWh != 5 {
		t.Errorf("got %+v, want self 3, export 1, production 4, load 5", r)
	}
	if r0, _ := MatchHourly(pv, load, 0); !math.IsNaN(r0.SelfConsumptionShare) || r0.SelfConsumedKWh != 0 {
		t.Errorf("0 kWp: %+v, want share NaN (not 0) and no self-consumption", r0)
	}
	if _, err := MatchHourly(pv, load[:4], 1); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := MatchHourly([]float64{-1}, []float64{1}, 1); err == nil {
		t.Error("negative PV accepted")
	}
	if _, err := NormalizePVProfile([]float64{0, 0}, 1000); err == nil {
		t.Error("empty PV profile accepted")
	}
	n, err := NormalizePVProfile([]float64{1, 3}, 1000)
	if err != nil || n[0] != 250 || n[1] != 750 {
		t.Errorf("NormalizePVProfile = %v, %v; want [250 750]", n, err)
	}
}

func TestSelfConsumptionCurveMatchesHourly(t *testing.T) {
	pv := samplePVShape(t)
	for _, load := range [][]float64{mustLoad(t, ProfileH25, 4700), mustLoad(t, ProfileG25, 50000)} {
		c, err := NewSelfConsumptionCurve(pv, load)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []float64{0, 0.5, 3, 3.05, 9, 36.1, 120, 5000} {
			want, _ := MatchHourly(pv, load, k)
			if got := c.SelfConsumed(k); math.Abs(got-want.SelfConsumedKWh) > 1e-9*math.Max(1, want.SelfConsumedKWh) {
				t.Errorf("%g kWp: curve %.6f kWh, direct %.6f", k, got, want.SelfConsumedKWh)
			}
		}
		if math.Abs(c.LoadKWh()-sumOfSeries(load)) > 1e-6 || math.Abs(c.ProductionPerKWp()-sumOfSeries(pv)) > 1e-9 {
			t.Error("curve totals differ from the series")
		}
	}
}

func sumOfSeries(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// WithLoadScale equals matching against the scaled load hour by hour.
func TestSelfConsumptionCurveLoadScale(t *testing.T) {
	pv := []float64{0, 0.2, 0.5, 0.8, 0.4, 0.1, 0}
	load := []float64{0.3, 0.1, 0.2, 0.15, 0.3, 0.5, 0.4}
	c, err := NewSelfConsumptionCurve(pv, load)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []float64{0.5, 3, 4700} {
		scaled := make([]float64, len(load))
		for h := range load {
			scaled[h] = a * load[h]
		}
		for _, k := range []float64{0.1, 1, 7, 9000} {
			want, _ := MatchHourly(pv, scaled, k)
			if got := c.WithLoadScale(a).SelfConsumed(k); math.Abs(got-want.SelfConsumedKWh) > 1e-9*math.Max(1, want.SelfConsumedKWh) {
				t.Errorf("a %g, %g kWp: %g, want %g", a, k, got, want.SelfConsumedKWh)
			}
		}
		if got := c.WithLoadScale(a).LoadKWh(); math.Abs(got-a*c.LoadKWh()) > 1e-9*got {
			t.Errorf("load %g, want %g", got, a*c.LoadKWh())
		}
	}
}
