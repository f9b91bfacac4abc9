package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/paulmach/orb/encoding/wkb"

	"github.com/gisement/gisement/api"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/study"
)

func init() {
	sampleStudy = sampleStudyToCache
	studyRunnerHook = newStudyRunner
}

// studyRunner runs `POST /v1/studies` jobs: the study pipeline on the area
// asked for, with the inputs of the served study when its files are still
// on disk, else the embedded sample territory, and writes the result into
// the served store (a new study id per area and scenario).
type studyRunner struct{ store data.Store }

func newStudyRunner(store data.Store) api.StudyRunner { return &studyRunner{store: store} }

// inputsExist reports whether the stored study's input files are all on disk.
func inputsExist(in map[string]string) bool {
	if in["buildings"] == "" || in["weather"] == "" {
		return false
	}
	for _, p := range in {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

func (r *studyRunner) Run(ctx context.Context, req api.StudyRequest) (string, error) {
	sc := model.DefaultScenario()
	if len(req.ScenarioOverrides) > 0 && string(req.ScenarioOverrides) != "null" {
		var err error
		if sc, err = model.ReadScenario(bytes.NewReader(req.ScenarioOverrides), "scenario overrides"); err != nil {
			return "", err
		}
	}
	o := study.Options{Scenario: sc, AreaWGS84: req.Area}
	if st, err := r.store.Study(ctx, ""); err == nil && inputsExist(st.Inputs) {
		in := st.Inputs
		o.BuildingsPath, o.ParcelsPath, o.WeatherPath = in["buildings"], in["parcels"], in["weather"]
		o.BoundariesPath, o.ZonesPath, o.CarParksPath = in["boundaries"], in["zones"], in["carparks"]
		o.IrradiancePath, o.DEMPath = in["irradiance"], in["dem"]
	} else {
		// The embedded sample, read in place.
		o.FS = sample.FS
		o.BuildingsPath, o.ParcelsPath = sample.Buildings, sample.Parcels
		o.BoundariesPath, o.WeatherPath = sample.Commune, sample.Weather
		o.IrradiancePath = sample.Irradiation
	}
	h := sha256.New()
	if b, err := wkb.Marshal(req.Area); err == nil {
		h.Write(b)
	}
	h.Write([]byte(sc.Hash()))
	o.ID = "job-" + hex.EncodeToString(h.Sum(nil))[:12]
	o.Name = "study area " + o.ID
	res, err := study.Run(ctx, o)
	if err != nil {
		if errors.Is(err, study.ErrInput) {
			return "", fmt.Errorf("study input: %w", err)
		}
		return "", err
	}
	st, layers, err := study.Layers(res)
	if err != nil {
		return "", err
	}
	if err := r.store.WriteStudy(ctx, st, layers); err != nil {
		return "", err
	}
	return res.ID, nil
}
