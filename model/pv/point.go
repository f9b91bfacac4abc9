package pv

import (
	"fmt"

	"github.com/gisement/gisement/solar"
)

// PointInput is one fixed PV system at a point, as PVGIS's PVcalc takes it.
type PointInput struct {
	// LatDeg, LonDeg: the point (WGS84 degrees).
	LatDeg, LonDeg float64
	// PeakPowerKW: installed peak power, kWp; LossPct: system loss, %.
	PeakPowerKW, LossPct float64
	// TiltDeg from horizontal; AzimuthDeg clockwise from north (180 = south).
	TiltDeg, AzimuthDeg float64
	// Mounting: thermal mounting (free-standing or roof/building).
	Mounting solar.Mounting
	// Horizon: skyline elevations (nil = none).
	Horizon *solar.Horizon
	// MonthScale: factor applied to each month's energy and irradiation
	// (MonthScales, GridMonthScales); all zero = no scaling. ScaleNote says
	// where the factors come from.
	MonthScale [12]float64
	ScaleNote  string
}

// IrradiationField gives the annual horizontal irradiation at a point,
// kWh/m²·yr (NaN or ≤ 0 when unknown), e.g. raster.IrradiationField.
type IrradiationField interface {
	IrradiationAt(lonDeg, latDeg float64) float64
}

// PointMonth is one month of a PointResult.
type PointMonth struct {
	Month int
	// EnergyKWh: AC energy of the month; POAKWhM2: in-plane irradiation.
	EnergyKWh, POAKWhM2 float64
}

// PointResult is the yearly and monthly yield of a PointInput.
type PointResult struct {
	Monthly [12]PointMonth
	// EnergyKWh (AC, per year) and POAKWhM2 (in-plane irradiation per
	// year), scaled by Scale.
	EnergyKWh, POAKWhM2 float64
	// IAMLossPct, TemperatureLossPct: reflection and temperature losses, %
	// (positive = loss); TotalLossPct = (E / (H·P) − 1)·100 (negative =
	// loss, PVGIS's l_total convention; 0 without irradiation).
	IAMLossPct, TemperatureLossPct, TotalLossPct float64
	// Scale is the irradiation-field ratio applied (1 = none), ScaleNote
	// says why.
	Scale     float64
	ScaleNote string
}

// PointCalc simulates the weather year of sky (prepared at its weather
// site) for one fixed system with PVGIS's model (Huld et al. 2011 c-Si
// power, Faiman 2008 module temperature, Martin & Ruiz 2001 reflection
// losses, one system loss) and scales each month's energy and irradiation
// by in.MonthScale (see MonthScales and GridMonthScales) — a linear
// approximation that keeps the weather site's sun geometry, temperature and
// diffuse fraction. Invalid inputs give an error wrapping ErrPVInput.
func PointCalc(sky *solar.Sky, in PointInput) (PointResult, error) {
	var out PointResult
	if sky == nil {
		return out, fmt.Errorf("%w: no weather year", ErrPVInput)
	}
	sys := solar.DefaultSystem(solar.ModelPVGIS, in.Mounting)
	sys.PeakPowerKW, sys.LossPct = in.PeakPowerKW, in.LossPct
	if err := sys.Validate(); err != nil {
		return out, fmt.Errorf("%w: %v", ErrPVInput, err)
	}
	res := sky.Annual(solar.Plane{TiltDeg: in.TiltDeg, AzimuthDeg: in.AzimuthDeg}, in.Horizon, sys)

	out.Scale, out.ScaleNote = 1, "no irradiation field configured: values are those of the weather site"
	scaled := in.MonthScale[0] > 0
	if scaled {
		out.ScaleNote = in.ScaleNote
	}
	for i, m := range res.Monthly {
		f := 1.0
		if scaled {
			f = in.MonthScale[i]
		}
		out.Monthly[i] = PointMonth{Month: m.Month, EnergyKWh: m.EnergyKWh * f, POAKWhM2: m.POAKWhM2 * f}
		out.EnergyKWh += out.Monthly[i].EnergyKWh
		out.POAKWhM2 += out.Monthly[i].POAKWhM2
	}
	if scaled && res.EnergyKWh > 0 {
		out.Scale = out.EnergyKWh / res.EnergyKWh // effective annual factor
	}
	if !scaled {
		out.EnergyKWh, out.POAKWhM2 = res.EnergyKWh, res.POAKWhM2
	}
	out.IAMLossPct, out.TemperatureLossPct = res.Losses.IAMPct, res.Losses.TemperaturePct
	if out.POAKWhM2 > 0 {
		out.TotalLossPct = (out.EnergyKWh/(out.POAKWhM2*in.PeakPowerKW) - 1) * 100
	}
	return out, nil
}
