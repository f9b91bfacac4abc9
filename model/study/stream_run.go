package study

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"runtime/debug"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"golang.org/x/sync/errgroup"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo"
)

// chunkPartial is the JSON partial aggregate of one chunk.
type chunkPartial struct {
	Agg *aggPartial `json:"agg"`
	// Stages: the chunk's stage wall times (summed in the summary; a
	// local streaming study computes chunksInFlight chunks at once, so the
	// sums exceed the wall time).
	Stages []StageTime `json:"stages"`
	// Buildings, Parcels, Planes: core features written.
	Buildings int `json:"buildings"`
	Parcels   int `json:"parcels"`
	Planes    int `json:"planes"`
}

// streamEnv is the territory-wide state of a plan in one process: the
// prepared study environment (weather, heat climate, zones, car parks,
// Monte Carlo) and the commune outlines, built once and shared by the
// chunks this process runs.
type streamEnv struct {
	env      *studyEnv
	outlines []Commune // all outlines, as read (communeAssigner)
	r        *Result   // result-level fields set by prepareEnv (car parks, weather, warnings)
	// tempDir holds the finish's spilled quantile lists (StreamOptions.TempDir
	// in RunStream; "" = os.TempDir() in FinishStudy).
	tempDir string
}

func newStreamEnv(ctx context.Context, o *Options, p *Plan) (*streamEnv, error) {
	if o.Cache == nil {
		o.Cache = &Cache{}
	}
	r := &Result{WeatherScale: 1, Inputs: inputsOf(o), plan: p}
	ti := territoryInfo{buildings: p.Buildings, centre: p.centre(), climate: p.Climate, places: p.Places}
	if o.IrradiancePath != "" && p.Places == nil {
		return nil, fmt.Errorf("%w: streaming study: the plan has no scaling by place for %s", ErrInput, o.IrradiancePath)
	}
	env, err := prepareEnv(ctx, o, r, ti)
	if err != nil {
		return nil, err
	}
	outlines, err := loadCommunes(o.FS, o.BoundariesPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	for _, k := range p.OutlinesKept {
		if k < 0 || k >= len(outlines) {
			return nil, fmt.Errorf("%w: plan outline %d of %d: the boundaries file changed since planning", ErrInput, k, len(outlines))
		}
		env.outlines = append(env.outlines, outlines[k])
	}
	return &streamEnv{env: env, outlines: outlines, r: r}, nil
}

// centre returns the plan's territory centre as a point.
func (p *Plan) centre() (c [2]float64) { return p.CentreWGS84 }

func runChunk(ctx context.Context, o Options, p *Plan, chunk int, st ChunkStage) (json.RawMessage, []data.LayerData, error) {
	if err := o.normalize(); err != nil {
		return nil, nil, err
	}
	se, err := newStreamEnv(ctx, &o, p)
	if err != nil {
		return nil, nil, err
	}
	return se.runChunk(ctx, &o, p, chunk, st)
}

// runChunk computes one chunk on the prepared environment.
func (se *streamEnv) runChunk(ctx context.Context, o *Options, p *Plan, chunk int, st ChunkStage) (json.RawMessage, []data.LayerData, error) {
	if chunk < 0 || chunk >= len(p.Chunks) {
		return nil, nil, fmt.Errorf("%w: streaming study %s: chunk %d of %d", ErrInput, p.StudyID, chunk, len(p.Chunks))
	}
	spec := &p.Chunks[chunk]
	part := &chunkPartial{}
	stage := func(name string, total int) func() { return stageTimer(o, &part.Stages, name, total) }
	done := stage("chunk: load", 0)
	cf, err := readChunk(ctx, st, spec)
	if err != nil {
		return nil, nil, err
	}
	t := cf.t
	nb, np := 0, 0
	for _, c := range cf.coreB {
		if c {
			nb++
		}
	}
	for _, c := range cf.coreP {
		if c {
			np++
		}
	}
	if nb != spec.Buildings || np != spec.Parcels {
		return nil, nil, fmt.Errorf("%w: streaming study %s: chunk %d holds %d core buildings and %d core parcels, the plan %d and %d",
			ErrInput, p.StudyID, chunk, nb, np, spec.Buildings, spec.Parcels)
	}
	// Assignment with the plan's parcel ids (geo.RecoverIDs over the whole
	// territory): the geometric assignment is exact for the buildings the
	// chunk needs, the ids come from the plan where the chunk cannot derive
	// them.
	need := append([]bool(nil), cf.coreB...)
	if len(t.Parcels) > 0 {
		parcel, _, err := geo.AssignOnly(ctx, t.Buildings, t.Parcels, t.ParcelIndex, o.Workers)
		if err != nil {
			return nil, nil, err
		}
		for i, q := range parcel {
			if q >= 0 {
				t.Parcels[q].BuildingIdx = append(t.Parcels[q].BuildingIdx, i)
			}
		}
		for q := range t.Parcels {
			pp := &t.Parcels[q]
			if pp.IDSource == geo.IDFromAttribute {
				continue
			}
			if id, ok := p.ParcelIDs[cf.pIdx[q]]; ok {
				geo.SetParcelID(pp, id, p.ParcelIDSources[cf.pIdx[q]])
			} else if best, votes, _ := geo.MajorityRef(func(fn func(string)) {
				for _, bi := range pp.BuildingIdx {
					fn(t.Buildings[bi].ParcelRef)
				}
			}); votes > 0 {
				geo.SetParcelID(pp, best, geo.IDFromBuildings)
			} else {
				geo.SetParcelID(pp, geo.GeometryID(pp.Geometry), geo.IDFromGeometry)
			}
		}
		for i, q := range parcel {
			if q >= 0 {
				t.Buildings[i].ParcelID = t.Parcels[q].ID
			}
		}
		for q, core := range cf.coreP {
			if core {
				for _, bi := range t.Parcels[q].BuildingIdx {
					need[bi] = true
				}
			}
		}
		t.Assignment = p.Assignment
	}
	// Communes: the same rules, per feature (communes.go).
	ca := newCommuneAssigner(se.outlines)
	for i := range t.Buildings {
		ca.building(&t.Buildings[i])
	}
	for q := range t.Parcels {
		c, _ := planarCentroid(t.Parcels[q].Geometry)
		ca.parcel(&t.Parcels[q], c)
	}
	done()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}

	env := *se.env
	env.heat = se.env.heat.withCounters()
	r := &Result{ScenarioHash: p.ScenarioHash, Scenario: o.Scenario, CarParks: se.r.CarParks, Inputs: map[string]string{}, plan: p}
	if err := env.compute(ctx, t, r, need, cf.coreB, cf.coreP, stage); err != nil {
		return nil, nil, err
	}

	done = stage("chunk: aggregate and rows", 0)
	agg := newAggPartial(len(env.zones))
	perParcel := p.Parcels > 0
	var bs, ps []int
	for i, core := range cf.coreB {
		if core {
			agg.addBuilding(t, i, &r.Buildings[i], r.PV.Roofs[t.PlaneStart[i]:t.PlaneStart[i+1]], env.zones, perParcel)
			bs = append(bs, i)
			part.Planes += t.PlaneStart[i+1] - t.PlaneStart[i]
		}
	}
	for q, core := range cf.coreP {
		if core {
			agg.addParcel(t, q, &r.Parcels[q], env.outlines, env.zones)
			ps = append(ps, q)
		}
	}
	agg.Heat.count(env.heat)
	agg.Pitch = r.RoofPitch // the core buildings' pitch sources (compute)
	part.Agg, part.Buildings, part.Parcels = agg, len(bs), len(ps)
	layers := featureLayers(r, ps, bs)
	done()
	js, err := json.Marshal(part)
	if err != nil {
		return nil, nil, fmt.Errorf("streaming study %s: chunk %d: partial: %w", p.StudyID, chunk, err)
	}
	return js, layers, nil
}

func finishStudy(ctx context.Context, o Options, p *Plan, partials iter.Seq2[data.ChunkPartial, error]) (data.Study, []data.LayerData, error) {
	if err := o.normalize(); err != nil {
		return data.Study{}, nil, err
	}
	se, err := newStreamEnv(ctx, &o, p)
	if err != nil {
		return data.Study{}, nil, err
	}
	return se.finish(ctx, &o, p, partials)
}

// finish merges the partials into the study.
func (se *streamEnv) finish(ctx context.Context, o *Options, p *Plan, partials iter.Seq2[data.ChunkPartial, error]) (data.Study, []data.LayerData, error) {
	t0 := time.Now()
	env := se.env
	agg := newAggMerge(len(env.zones), se.tempDir)
	defer agg.close()
	seen := make([]bool, len(p.Chunks))
	var stages []StageTime
	stageIdx := map[string]int{}
	for cp, err := range partials {
		if err != nil {
			return data.Study{}, nil, err
		}
		if cp.Chunk < 0 || cp.Chunk >= len(p.Chunks) || seen[cp.Chunk] {
			return data.Study{}, nil, fmt.Errorf("streaming study %s: partial of chunk %d unexpected or repeated", p.StudyID, cp.Chunk)
		}
		seen[cp.Chunk] = true
		var part chunkPartial
		if err := json.Unmarshal(cp.Partial, &part); err != nil || part.Agg == nil {
			return data.Study{}, nil, fmt.Errorf("streaming study %s: partial of chunk %d: %v", p.StudyID, cp.Chunk, err)
		}
		if len(part.Agg.Zones) != len(env.zones) {
			return data.Study{}, nil, fmt.Errorf("streaming study %s: partial of chunk %d has %d zones, the zones layer %d", p.StudyID, cp.Chunk, len(part.Agg.Zones), len(env.zones))
		}
		if part.Agg.Communes == nil {
			part.Agg.Communes = map[string]*communePartial{}
		}
		if err := agg.add(part.Agg); err != nil { // part is released with its lists
			return data.Study{}, nil, fmt.Errorf("streaming study %s: %w", p.StudyID, err)
		}
		for _, s := range part.Stages {
			k, ok := stageIdx[s.Name]
			if !ok {
				k = len(stages)
				stageIdx[s.Name] = k
				stages = append(stages, StageTime{Name: s.Name})
			}
			stages[k].Seconds += s.Seconds
		}
		if err := ctx.Err(); err != nil {
			return data.Study{}, nil, err
		}
	}
	for k, ok := range seen {
		if !ok {
			return data.Study{}, nil, fmt.Errorf("streaming study %s: chunk %d of %d has no partial aggregate (not run yet?)", p.StudyID, k, len(p.Chunks))
		}
	}
	r := se.r
	r.ID, r.Name, r.ScenarioHash, r.Scenario, r.StartedAt = p.StudyID, p.Name, p.ScenarioHash, o.Scenario, p.StartedAt
	r.WeatherNote = o.WeatherNote
	r.Territory = &geo.Territory{BuildingReport: p.BuildingReport, ParcelReport: p.ParcelReport, Assignment: p.Assignment}
	r.CommuneAssignment, r.Attribution = p.CommuneAssignment, p.Attribution
	// Warnings in Run's order: inputs (study area, coherence), then the
	// weather's (prepareEnv), then the heat summary's.
	r.Warnings = append(append([]string(nil), p.Warnings...), r.Warnings...)
	if err := env.finish(r, agg); err != nil {
		return data.Study{}, nil, err
	}
	r.Stages = append(append(append([]StageTime(nil), p.Stages...), stages...), StageTime{"finish", time.Since(t0).Seconds()})
	r.Elapsed = time.Since(p.StartedAt)
	st, err := studyMeta(r)
	if err != nil {
		return data.Study{}, nil, err
	}
	return st, areaLayers(r), nil
}

func runStream(ctx context.Context, o Options, so StreamOptions, store data.ChunkStore) (*Plan, error) {
	p, _, err := RunStreamResult(ctx, o, so, store)
	return p, err
}

// RunStreamResult is RunStream that also returns the study-level result
// (totals, communes, zones, summary fields, load reports: what the CLI
// prints); its Territory holds the reports only and its per-feature slices
// are empty (the rows are in the store).
func RunStreamResult(ctx context.Context, o Options, so StreamOptions, store data.ChunkStore) (*Plan, *Result, error) {
	p, r, err := runStreamResult(ctx, o, so, store)
	if err != nil {
		return nil, nil, err
	}
	return p, r, nil
}

// chunksInFlight is the number of chunks a local streaming study computes
// at once (each on all the workers), besides the one being written.
const chunksInFlight = 2

func runStreamResult(ctx context.Context, o Options, so StreamOptions, store data.ChunkStore) (*Plan, *Result, error) {
	if err := o.normalize(); err != nil {
		return nil, nil, err
	}
	if so.Stage == nil {
		fs, err := NewFileStage(so.TempDir)
		if err != nil {
			return nil, nil, err
		}
		defer fs.Close()
		so.Stage = fs
	}
	p, err := PlanStudy(ctx, o, so)
	if err != nil {
		return nil, nil, err
	}
	o.ID = p.StudyID
	scen, err := json.Marshal(StoredScenario{Hash: p.ScenarioHash, Scenario: o.Scenario, Assumptions: o.Scenario.Assumptions()})
	if err != nil {
		return nil, nil, err
	}
	if err := store.BeginStudy(ctx, data.Study{ID: p.StudyID, Name: p.Name, ScenarioHash: p.ScenarioHash, Scenario: scen,
		CreatedAt: time.Now().UTC(), Inputs: p.Inputs}, len(p.Chunks)); err != nil {
		return nil, nil, err
	}
	se, err := newStreamEnv(ctx, &o, p)
	if err != nil {
		return nil, nil, err
	}
	se.tempDir = so.TempDir
	o.Progress.Stage("chunks", len(p.Chunks))
	// Chunks are computed chunksInFlight at a time while the previous one
	// is written, and written in order: the write (SQLite or one
	// PostgreSQL connection, one core) and the serial parts of a chunk
	// (reading its records, indexing, the tail of each parallel loop) no
	// longer leave cores idle. A chunk holds a slot from the start of its
	// computation to the end of its write, so at most chunksInFlight+1
	// chunks are in memory.
	type computed struct {
		partial json.RawMessage
		layers  []data.LayerData
	}
	res := make([]chan computed, len(p.Chunks))
	for k := range res {
		res[k] = make(chan computed, 1)
	}
	slots := make(chan struct{}, chunksInFlight+1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for k := range p.Chunks {
			var c computed
			select {
			case c = <-res[k]:
			case <-gctx.Done():
				return gctx.Err()
			}
			if err := store.WriteChunk(gctx, p.StudyID, k, c.partial, c.layers); err != nil {
				return err
			}
			<-slots
			o.Logger.Info("chunk", "index", k, "of", len(p.Chunks), "buildings", p.Chunks[k].Buildings, "records", p.Chunks[k].Records)
			o.Progress.Add(1)
		}
		return nil
	})
	g.Go(func() error {
		for k := range p.Chunks {
			select {
			case slots <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			g.Go(func() error {
				sub := o
				sub.Progress = noProgress{}
				partial, layers, err := se.runChunk(gctx, &sub, p, k, so.Stage)
				if err != nil {
					return err
				}
				res[k] <- computed{partial: partial, layers: layers} // buffered: never blocks
				return nil
			})
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	// The chunks' memory goes back to the operating system before the
	// territory-wide finish (merge, store indexes), so that the two peaks
	// do not add up in the resident set.
	debug.FreeOSMemory()
	st, layers, err := se.finish(ctx, &o, p, store.ChunkPartials(ctx, p.StudyID))
	if err != nil {
		return nil, nil, err
	}
	if err := store.FinishStudy(ctx, st, layers); err != nil {
		return nil, nil, err
	}
	return p, se.r, nil
}

func planarCentroid(mp orb.MultiPolygon) (orb.Point, float64) { return planar.CentroidArea(mp) }
