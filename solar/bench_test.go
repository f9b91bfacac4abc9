package solar

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gisement/gisement/solar/spa"
	"github.com/gisement/gisement/solar/weather"
)

// syntheticYear is a SYNTHETIC hourly year (fixed seed) at 45.5° N 4.9° E:
// clear-sky-like DNI/DHI scaled by a random daily cloudiness. For
// benchmarks only.
func syntheticYear() *weather.Series {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &weather.Series{Source: "synthetic-year", Format: "synthetic", LatDeg: 45.5, LonDeg: 4.9, ElevationM: 200, StepH: 1}
	t0 := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	cloud := 1.0
	for i := 0; i < 8760; i++ {
		if i%24 == 0 {
			cloud = rng.Float64()
		}
		st := t0.Add(time.Duration(i) * time.Hour)
		sun := st.Add(30 * time.Minute)
		p := spa.Position(sun, s.LatDeg, s.LonDeg, spa.Options{ElevationM: 200})
		cz := math.Cos(p.ApparentZenithDeg * deg2rad)
		r := weather.Record{Start: st, Sun: sun, TempAirC: 10 + 10*rng.Float64(), WindMS: 3 * rng.Float64(), PressureHPa: math.NaN(), DNIWm2: 0, DHIWm2: 0}
		if cz > 0 {
			r.DNIWm2 = cloud * 900 * math.Exp(-0.14/cz)
			r.DHIWm2 = (1.2 - cloud) * 150 * math.Sqrt(cz)
		}
		r.GHIWm2 = r.DNIWm2*math.Max(cz, 0) + r.DHIWm2
		s.Records = append(s.Records, r)
	}
	return s
}

func BenchmarkPrepareSky(b *testing.B) {
	s := syntheticYear()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PrepareSky(s, SkyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnnualPOA: one plane, 8760 hours, Perez; plane-years/s.
func BenchmarkAnnualPOA(b *testing.B) {
	k, err := PrepareSky(syntheticYear(), SkyOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		h    *Horizon
	}{{"noHorizon", nil}, {"horizon48", &Horizon{ElevationDeg: make([]float64, 48)}}} {
		if c.h != nil {
			for i := range c.h.ElevationDeg {
				c.h.ElevationDeg[i] = float64(i % 13)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			sum := 0.0
			n := 0
			for b.Loop() {
				sum += k.AnnualPOA(Plane{TiltDeg: 30 + float64(n%10), AzimuthDeg: float64(90 + n%180)}, c.h)
				n++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "plane-years/s")
			if sum <= 0 {
				b.Fatal("no irradiation")
			}
		})
	}
}

// BenchmarkAnnualEnergy: full chain (IAM, temperature, DC, AC) per model.
func BenchmarkAnnualEnergy(b *testing.B) {
	k, err := PrepareSky(syntheticYear(), SkyOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []Model{ModelPVGIS, ModelPVWatts} {
		for _, tm := range []TempModel{TempDefault, TempFaiman} {
			if m == ModelPVGIS && tm != TempDefault {
				continue
			}
			b.Run(fmt.Sprintf("%v/temp%d", m, tm), func(b *testing.B) {
				sys := DefaultSystem(m, MountRoof)
				sys.TempModel = tm
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					r := k.Annual(Plane{TiltDeg: 30, AzimuthDeg: float64(90 + n%180)}, nil, sys)
					if r.EnergyKWh <= 0 {
						b.Fatal("no energy")
					}
					n++
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "plane-years/s")
			})
		}
	}
}
