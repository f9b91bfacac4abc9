package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/paulmach/orb/encoding/wkb"

	"github.com/gisement/gisement/api"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/study"
)

func init() {
	sampleStudy = sampleStudyToCache
	studyRunnerHook = newStudyRunner
}

// jobRunnerOptions configure the study-job runner of `gisement serve --jobs`.
type jobRunnerOptions struct {
	// Dir holds the job results ("results/<study id>.gpkg") and the jobs'
	// temporary inputs ("tmp/"); "" = a temporary directory removed by
	// Close.
	Dir string
	// Keep is the number of job results kept (oldest removed first).
	Keep int
}

// studyRunner runs `POST /v1/studies` jobs: the study pipeline on the area
// asked for, with the inputs of the served study when its files are still
// on disk, else the embedded sample territory. Each job's study goes to its
// own GeoPackage under Dir/results (never into the served store, which must
// not grow with every anonymous request); only the newest Keep results are
// kept.
type studyRunner struct {
	store   data.Store // the served store: read for its study's inputs only
	dir     string
	ownDir  bool // dir was created by us: removed by Close
	keep    int
	mu      sync.Mutex // serialises result writes and retention
	closeMu sync.Once
}

func newStudyRunner(store data.Store, o jobRunnerOptions) (api.StudyRunner, error) {
	r := &studyRunner{store: store, dir: o.Dir, keep: max(o.Keep, 1)}
	if r.dir == "" {
		d, err := os.MkdirTemp("", "gisement-jobs-")
		if err != nil {
			return nil, err
		}
		r.dir, r.ownDir = d, true
	}
	for _, sub := range []string{"results", "tmp"} {
		if err := os.MkdirAll(filepath.Join(r.dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("--jobs-dir: %w", err)
		}
	}
	// Inputs left by a previous server killed mid-job.
	_ = removeChildren(filepath.Join(r.dir, "tmp"))
	return r, nil
}

// Close removes the jobs' temporary inputs (and the whole directory when it
// is ours). Called by serve after the job pool has stopped or its shutdown
// deadline has passed, so nothing is left in the temporary directory.
func (r *studyRunner) Close() error {
	var err error
	r.closeMu.Do(func() {
		if r.ownDir {
			err = os.RemoveAll(r.dir)
			return
		}
		err = removeChildren(filepath.Join(r.dir, "tmp"))
	})
	return err
}

func removeChildren(dir string) error {
	es, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var first error
	for _, e := range es {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil && first == nil {
			first = err
		}
	}
	return first
}

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

// scenario reads the job's scenario overrides over the defaults. The
// label "scenario" names the request member in errors.
func jobScenario(req api.StudyRequest) (*model.Scenario, error) {
	if len(req.ScenarioOverrides) == 0 || string(req.ScenarioOverrides) == "null" {
		return model.DefaultScenario(), nil
	}
	return model.ReadScenario(bytes.NewReader(req.ScenarioOverrides), "scenario")
}

// Validate implements api.StudyValidator: the scenario is read and checked
// as the job will read it (unknown keys, ranges), before the 202.
func (r *studyRunner) Validate(req api.StudyRequest) (api.StudyPlan, error) {
	sc, err := jobScenario(req)
	if err != nil {
		return api.StudyPlan{}, err
	}
	return api.StudyPlan{Draws: int(sc.Uncertainty.Draws.Value)}, nil
}

func (r *studyRunner) resultPath(studyID string) string {
	return filepath.Join(r.dir, "results", studyID+".gpkg")
}

// StudySummary implements api.StudyResults.
func (r *studyRunner) StudySummary(ctx context.Context, studyID string) (json.RawMessage, error) {
	p := r.resultPath(studyID)
	if _, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("job result %s: %w", studyID, data.ErrNotFound)
	}
	s, err := gpkg.OpenExisting(p)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return nil, err
	}
	return st.Summary, nil
}

func (r *studyRunner) Run(ctx context.Context, req api.StudyRequest) (string, error) {
	sc, err := jobScenario(req)
	if err != nil {
		return "", err
	}
	// Half the cores (at least one), as the API's heavy requests: a job must
	// not take the cores that answer lookups.
	o := study.Options{Scenario: sc, AreaWGS84: req.Area, Workers: api.DefaultHeavyConcurrency()}
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
	if err := r.writeResult(ctx, st, layers); err != nil {
		return "", err
	}
	return res.ID, nil
}

// writeResult writes the study into its own GeoPackage and applies the
// retention (the newest r.keep results are kept).
func (r *studyRunner) writeResult(ctx context.Context, st data.Study, layers []data.LayerData) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.resultPath(st.ID)
	_ = os.Remove(p) // the same area and scenario again: replaced
	s, err := gpkg.Open(p)
	if err != nil {
		return err
	}
	if err := s.WriteStudy(ctx, st, layers); err != nil {
		s.Close()
		os.Remove(p)
		return fmt.Errorf("writing the job result: %w", err)
	}
	if err := s.Close(); err != nil {
		return err
	}
	return r.prune()
}

// prune removes the oldest results beyond r.keep.
func (r *studyRunner) prune() error {
	dir := filepath.Join(r.dir, "results")
	es, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type res struct {
		name string
		mod  int64
	}
	var rs []res
	for _, e := range es {
		if !strings.HasSuffix(e.Name(), ".gpkg") {
			continue
		}
		if fi, err := e.Info(); err == nil {
			rs = append(rs, res{e.Name(), fi.ModTime().UnixNano()})
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].mod > rs[j].mod })
	for _, x := range rs[min(len(rs), r.keep):] {
		base := filepath.Join(dir, x.name)
		for _, f := range []string{base, base + ".lock"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}
