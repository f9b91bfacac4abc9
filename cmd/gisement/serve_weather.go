package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/sample"
)

// studyWeather returns the weather and irradiance file names the served
// study was computed with (its stored inputs; "" when unknown).
func studyWeather(ctx context.Context, store data.Store, id string) (weather, irradiance string) {
	st, err := store.Study(ctx, id)
	if err != nil || len(st.Summary) == 0 {
		return "", ""
	}
	var s struct {
		Inputs map[string]string `json:"inputs"`
	}
	if json.Unmarshal(st.Summary, &s) != nil {
		return "", ""
	}
	return filepath.Base(s.Inputs["weather"]), filepath.Base(s.Inputs["irradiance"])
}

// checkServeWeather compares the weather /v1/pvcalc answers with to the
// served study's (issue 13): without --weather both use the embedded
// typical year scaled by the embedded irradiation field, as `gisement
// study` does by default; a study computed with another weather year is
// logged as a warning naming the file to pass with --weather.
func checkServeWeather(ctx context.Context, store data.Store, o serveOptions, log *slog.Logger) {
	w, irr := studyWeather(ctx, store, o.study)
	if w == "" || w == "." {
		return
	}
	served := sample.Weather
	if o.weatherPath != "" {
		served = filepath.Base(o.weatherPath)
	}
	if w != served {
		log.Warn("the served study was computed with another weather year than /v1/pvcalc uses; pass it with --weather (and its grid with --irradiance-grid) for consistent answers",
			"study_weather", w, "study_irradiance", irr, "pvcalc_weather", served)
		return
	}
	log.Info("/v1/pvcalc uses the served study's weather year", "weather", w, "irradiance", irr)
}
