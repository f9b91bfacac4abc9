package econ

import (
	"bytes"
	"compress/gzip"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

var (
	pvShapeOnce sync.Once
	pvShape     []float64
	pvShapeErr  error
)

// samplePVShape returns the hourly AC output (kWh) of 1 kWp facing south,
// tilted 35°, over the embedded La Rochelle TMYx year (PVGIS model, 14 %
// loss), indexed by hours since 1 January 00:00 CET.
func samplePVShape(tb testing.TB) []float64 {
	tb.Helper()
	pvShapeOnce.Do(func() {
		f, err := sample.FS.Open(sample.Weather)
		if err != nil {
			pvShapeErr = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			pvShapeErr = err
			return
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			pvShapeErr = err
			return
		}
		s, err := weather.ReadFrom(bytes.NewReader(b), sample.Weather, weather.Options{})
		if err != nil {
			pvShapeErr = err
			return
		}
		sky, err := solar.PrepareSky(s, solar.SkyOptions{})
		if err != nil {
			pvShapeErr = err
			return
		}
		sys := solar.DefaultSystem(solar.ModelPVGIS, solar.MountRoof)
		sys.Hourly = true
		res := sky.Annual(solar.Plane{TiltDeg: 35, AzimuthDeg: 180}, nil, sys)
		pvShape = make([]float64, 8760)
		for _, st := range res.Hourly {
			ref := time.Date(st.Start.Year(), 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
			i := int(st.Start.Sub(ref).Hours()) % 8760
			if i < 0 {
				i += 8760
			}
			pvShape[i] += st.ACW * s.StepH / 1000
		}
	})
	if pvShapeErr != nil {
		tb.Fatalf("sample PV shape: %v", pvShapeErr)
	}
	return pvShape
}

func mustLoad(tb testing.TB, k ProfileKind, kWh float64) []float64 {
	tb.Helper()
	p, err := EmbeddedBDEWProfile(k)
	if err != nil {
		tb.Fatal(err)
	}
	l, err := p.HourlyLoad(2025, kWh)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

func mustEcon(tb testing.TB) *OwnerEconomics {
	tb.Helper()
	m, err := NewOwnerEconomics(DefaultSystemParams())
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
