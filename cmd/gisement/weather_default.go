package main

import (
	"fmt"

	"github.com/gisement/gisement/data/sample"
)

// defaultWeather gives a study on the user's buildings the embedded
// typical year (sample.Weather, La Rochelle TMYx) when --weather is not
// given, scaled to every place of the territory by the embedded
// per-commune irradiation field (sample.Irradiation, SolaireSimple 2025)
// unless --irradiance-grid names another grid; o.weatherNote says so in
// the output and in the stored study (issue 13). Only one station year is
// embedded, so there is no choice by climate yet.
func defaultWeather(o *studyOptions) (cleanup func(), err error) {
	// A stable place (the user cache) keeps the default study id stable
	// (it hashes the input paths and modification times): a rerun
	// replaces the study instead of adding one.
	cleanup = func() {}
	paths := map[string]string{}
	for _, name := range []string{sample.Weather, sample.Irradiation} {
		if paths[name], err = sample.Cached(name); err != nil {
			return cleanup, err
		}
	}
	o.weather = paths[sample.Weather]
	grid := "the irradiation field given by --irradiance-grid"
	if o.irradiance == "" {
		o.irradiance = paths[sample.Irradiation]
		grid = "the embedded per-commune irradiation field (SolaireSimple 2025, CC BY 4.0)"
	}
	o.weatherNote = fmt.Sprintf("no --weather given: embedded typical year %s (La Rochelle airport TMYx, WMO 073160), its irradiance scaled to each place by %s; temperatures are the station's. For a closer year, pass --weather with a PVGIS TMY of the commune",
		sample.Weather, grid)
	return cleanup, nil
}
