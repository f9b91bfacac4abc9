package cluster

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/model/study"
)

// embeddedPrefix marks a stored input path that is a copy of an embedded
// sample file in the planner's user cache (sample.CachePath): each worker
// uses its own copy.
const embeddedPrefix = "embedded:"

// Spec is the part of study.Options that a distributed study stores in the
// database, so that every worker rebuilds the same options: input paths,
// CRS overrides, scenario and switches. Paths must name the same files on
// every worker (a shared file system: NFS, a mounted bucket) and are made
// absolute at submission; with Sample the inputs are the embedded sample
// (data/sample), compiled into every gisement binary, except the names
// listed in Disk. The default weather year of a study on the user's files
// (copies of embedded files in the user cache) is stored as
// "embedded:<name>" and copied on each worker.
type Spec struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	// Sample: the names below are files of the embedded sample (sample.FS)
	// unless listed in Disk.
	Sample bool     `json:"sample,omitempty"`
	Disk   []string `json:"disk,omitempty"`

	BuildingsPath       string                    `json:"buildings"`
	ParcelsPath         string                    `json:"parcels,omitempty"`
	BuildingsEPSG       int                       `json:"buildings_epsg,omitempty"`
	ParcelsEPSG         int                       `json:"parcels_epsg,omitempty"`
	BoundariesPath      string                    `json:"boundaries,omitempty"`
	ZonesPath           string                    `json:"zones,omitempty"`
	CarParksPath        string                    `json:"carparks,omitempty"`
	WeatherPath         string                    `json:"weather"`
	IrradiancePath      string                    `json:"irradiance,omitempty"`
	IrradianceGrid      raster.ClimateGridOptions `json:"irradiance_grid"`
	IrradianceVsStation bool                      `json:"irradiance_vs_station,omitempty"`
	DEMPath             string                    `json:"dem,omitempty"`
	DSMPaths            []string                  `json:"dsm,omitempty"`
	DTMPaths            []string                  `json:"dtm,omitempty"`
	// Scenario is the scenario's canonical JSON (model.Scenario.CanonicalJSON);
	// ScenarioHash its hash, checked by every worker.
	Scenario            json.RawMessage `json:"scenario"`
	ScenarioHash        string          `json:"scenario_hash"`
	Emitter             heat.Emitter    `json:"emitter,omitempty"`
	MonteCarloDraws     int             `json:"draws,omitempty"`
	AllowLowOverlap     bool            `json:"allow_low_overlap,omitempty"`
	AllowDistantWeather bool            `json:"allow_distant_weather,omitempty"`
	WeatherNote         string          `json:"weather_note,omitempty"`
	WeatherSite         int             `json:"weather_site,omitempty"`
	// ChunkBuildings is the target chunk size (0 = study.DefaultChunkBuildings).
	ChunkBuildings int `json:"chunk_buildings,omitempty"`
}

// NewSpec returns the Spec of o (o.FS must be nil, sample.FS, or sample.FS
// with the disk names given), with disk paths made absolute.
func NewSpec(o study.Options, sc *model.Scenario, disk []string) (Spec, error) {
	if sc == nil {
		sc = model.DefaultScenario()
	}
	js, err := sc.CanonicalJSON()
	if err != nil {
		return Spec{}, err
	}
	s := Spec{ID: o.ID, Name: o.Name, Sample: o.FS != nil, BuildingsEPSG: o.BuildingsEPSG, ParcelsEPSG: o.ParcelsEPSG,
		IrradianceGrid: o.IrradianceGrid, IrradianceVsStation: o.IrradianceVsStation, Scenario: js, ScenarioHash: sc.Hash(),
		Emitter: o.Emitter, MonteCarloDraws: o.MonteCarloDraws, AllowLowOverlap: o.AllowLowOverlap, AllowDistantWeather: o.AllowDistantWeather,
		WeatherNote: o.WeatherNote, WeatherSite: o.WeatherSite}
	onDisk := map[string]bool{}
	for _, d := range disk {
		onDisk[d] = true
	}
	abs := func(p string) (string, error) {
		if p == "" || (s.Sample && !onDisk[p]) {
			return p, nil
		}
		a, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		for _, name := range sample.Names {
			if a == sample.CachePath(name) { // the default weather year: a copy of an embedded file
				return embeddedPrefix + name, nil
			}
		}
		if s.Sample {
			s.Disk = append(s.Disk, a)
		}
		return a, nil
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&s.BuildingsPath, o.BuildingsPath}, {&s.ParcelsPath, o.ParcelsPath}, {&s.BoundariesPath, o.BoundariesPath},
		{&s.ZonesPath, o.ZonesPath}, {&s.CarParksPath, o.CarParksPath}, {&s.WeatherPath, o.WeatherPath},
		{&s.IrradiancePath, o.IrradiancePath},
	} {
		if *f.dst, err = abs(f.src); err != nil {
			return Spec{}, err
		}
	}
	// DEM, DSM and DTM are always files on disk (study.Options).
	for _, f := range []struct {
		dst *[]string
		src []string
	}{{&s.DSMPaths, o.DSMPaths}, {&s.DTMPaths, o.DTMPaths}, {nil, []string{o.DEMPath}}} {
		var out []string
		for _, p := range f.src {
			if p == "" {
				continue
			}
			a, err := filepath.Abs(p)
			if err != nil {
				return Spec{}, err
			}
			out = append(out, a)
		}
		if f.dst != nil {
			*f.dst = out
		} else if len(out) == 1 {
			s.DEMPath = out[0]
		}
	}
	return s, nil
}

// Options rebuilds the study options of s (on a worker).
func (s Spec) Options() (study.Options, error) {
	var sc model.Scenario
	if err := json.Unmarshal(s.Scenario, &sc); err != nil {
		return study.Options{}, fmt.Errorf("cluster: stored scenario: %w", err)
	}
	if err := sc.Validate(); err != nil {
		return study.Options{}, fmt.Errorf("cluster: stored scenario: %w", err)
	}
	if h := sc.Hash(); h != s.ScenarioHash {
		return study.Options{}, fmt.Errorf("cluster: stored scenario hash %s, rebuilt %s (a worker of another gisement version?)", s.ScenarioHash, h)
	}
	// Embedded files that the planner read from its user cache are copied
	// to this machine's (sample.Cached).
	for _, p := range []*string{&s.BuildingsPath, &s.ParcelsPath, &s.BoundariesPath, &s.ZonesPath, &s.CarParksPath, &s.WeatherPath, &s.IrradiancePath} {
		if name, ok := strings.CutPrefix(*p, embeddedPrefix); ok {
			var err error
			if *p, err = sample.Cached(name); err != nil {
				return study.Options{}, fmt.Errorf("cluster: embedded %s: %w", name, err)
			}
		}
	}
	o := study.Options{ID: s.ID, Name: s.Name, BuildingsPath: s.BuildingsPath, ParcelsPath: s.ParcelsPath,
		BuildingsEPSG: s.BuildingsEPSG, ParcelsEPSG: s.ParcelsEPSG, BoundariesPath: s.BoundariesPath, ZonesPath: s.ZonesPath,
		CarParksPath: s.CarParksPath, WeatherPath: s.WeatherPath, IrradiancePath: s.IrradiancePath, IrradianceGrid: s.IrradianceGrid,
		IrradianceVsStation: s.IrradianceVsStation, DEMPath: s.DEMPath, DSMPaths: s.DSMPaths, DTMPaths: s.DTMPaths, Scenario: &sc,
		Emitter: s.Emitter, MonteCarloDraws: s.MonteCarloDraws, AllowLowOverlap: s.AllowLowOverlap, AllowDistantWeather: s.AllowDistantWeather,
		WeatherNote: s.WeatherNote, WeatherSite: s.WeatherSite}
	if s.Sample {
		disk := map[string]bool{}
		for _, d := range s.Disk {
			disk[d] = true
		}
		o.FS = overlay{disk: disk}
	}
	return o, nil
}

// overlay serves the names in disk from the file system and the others
// from the embedded sample.
type overlay struct{ disk map[string]bool }

func (d overlay) Open(name string) (fs.File, error) {
	if d.disk[name] {
		return os.Open(name)
	}
	return sample.FS.Open(name)
}
