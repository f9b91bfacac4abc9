package study

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/crs"
)

// planBuilding is the plan's fixed-size record of one kept building
// (about 80 bytes with the interned codes; the ParcelRef string only when
// the source gives one).
type planBuilding struct {
	c          orb.Point  // centroid (exact, as in the territory)
	box        [4]float32 // footprint bounds (the halo margin covers float32 rounding)
	altM, fpM2 float64    // ground altitude (NaN: unknown) and footprint area (heat altitude, coherence)
	commune    uint32     // interned CommuneINSEE (after the commune assignment)
	communeRef uint32     // interned CommuneRef
	parcelRef  string
	chunk      int32
	parcel     int32 // assigned parcel (plan index), -1 none
	shortcut   bool
}

// planParcel is the plan's record of one kept parcel.
type planParcel struct {
	c       orb.Point
	box     [4]float32
	areaM2  float64
	attrID  string // id from the file ("" none)
	commune uint32 // interned CommuneINSEE (attribute, then recovery, then outlines)
	geomID  uint64 // GeometryID hash (parcels without an attribute id)
	chunk   int32
}

// interner maps strings to small integers (commune codes).
type interner struct {
	ids  map[string]uint32
	strs []string
}

func (in *interner) id(s string) uint32 {
	if in.ids == nil {
		in.ids, in.strs = map[string]uint32{"": 0}, []string{""}
	}
	if k, ok := in.ids[s]; ok {
		return k
	}
	k := uint32(len(in.strs))
	in.ids[s] = k
	in.strs = append(in.strs, s)
	return k
}

func (in *interner) str(k uint32) string {
	if in.strs == nil {
		return ""
	}
	return in.strs[k]
}

func box32(b orb.Bound) [4]float32 {
	return [4]float32{float32(b.Min[0]), float32(b.Min[1]), float32(b.Max[0]), float32(b.Max[1])}
}

func bound32(b [4]float32) orb.Bound {
	return orb.Bound{Min: orb.Point{float64(b[0]), float64(b[1])}, Max: orb.Point{float64(b[2]), float64(b[3])}}
}

// planner is the state of PlanStudy.
type planner struct {
	o     *Options
	so    StreamOptions
	p     *Plan
	bs    []planBuilding
	ps    []planParcel
	names interner
	spill *os.File
	sw    *bufio.Writer
	buf   []byte
	// parcel cover of the coherence checks (exact float64, file order)
	pBound orb.Bound
	pSum   float64
}

// kdNode is a node of the chunk split: a leaf (chunk ≥ 0) or a split at
// v along axis (left: coordinate < v).
type kdNode struct {
	axis        int
	v           float64
	left, right *kdNode
	chunk       int
}

func (n *kdNode) locate(p orb.Point) int {
	for n.chunk < 0 {
		if p[n.axis] < n.v {
			n = n.left
		} else {
			n = n.right
		}
	}
	return n.chunk
}

// inCore reports whether p lies in a chunk's core cell (half-open).
func inCore(c *ChunkSpec, p orb.Point) bool {
	return p[0] >= c.Core[0] && p[1] >= c.Core[1] && p[0] < c.Core[2] && p[1] < c.Core[3]
}

const kdInfinity = 1e9

func planStudy(ctx context.Context, o Options, so StreamOptions) (*Plan, error) {
	start := time.Now()
	if err := o.normalize(); err != nil {
		return nil, err
	}
	if so.Stage == nil {
		return nil, fmt.Errorf("%w: streaming study: no chunk stage", ErrInput)
	}
	if so.ChunkBuildings <= 0 {
		so.ChunkBuildings = DefaultChunkBuildings
	}
	hash := o.Scenario.Hash()
	if o.ID == "" {
		o.ID = defaultID(o, hash)
	}
	name := o.Name
	if name == "" {
		name = o.ID
	}
	pl := &planner{o: &o, so: so, p: &Plan{StudyID: o.ID, Name: name, ScenarioHash: hash, StartedAt: start, Inputs: inputsOf(&o)}}
	f, err := os.CreateTemp(so.TempDir, "gisement-plan-*.bin")
	if err != nil {
		return nil, fmt.Errorf("streaming study: %w", err)
	}
	pl.spill, pl.sw = f, bufio.NewWriterSize(f, 1<<20)
	defer func() {
		f.Close()
		os.Remove(f.Name())
	}()
	stage := func(name string, total int) func() { return stageTimer(&o, &pl.p.Stages, name, total) }

	done := stage("plan: scan inputs", 0)
	if err := pl.scan(ctx); err != nil {
		return nil, err
	}
	done()
	done = stage("plan: chunks and routing", 0)
	if err := pl.chunks(ctx); err != nil {
		return nil, err
	}
	done()
	done = stage("plan: assignment", len(pl.p.Chunks))
	if err := pl.assign(ctx); err != nil {
		return nil, err
	}
	done()
	done = stage("plan: territory", 0)
	if err := pl.territory(ctx); err != nil {
		return nil, err
	}
	done()
	return pl.p, nil
}

// scan streams the buildings and parcels files through the loaders'
// validation (geo.ScanBuildings, geo.ScanParcels), keeps the features in
// the study area, records them and spills them.
func (pl *planner) scan(ctx context.Context) error {
	o := pl.o
	var inside func(orb.Point) bool
	if o.AreaWGS84 != nil {
		mp, ok := asMulti(o.AreaWGS84)
		if !ok {
			return fmt.Errorf("%w: study area: area is a %T, want a Polygon or MultiPolygon", ErrInput, o.AreaWGS84)
		}
		proj, err := crs.ToLambert93(crs.EPSG4326)
		if err != nil {
			return err
		}
		mp = crs.Project(mp, proj).(orb.MultiPolygon)
		bound := mp.Bound()
		inside = func(p orb.Point) bool { return bound.Contains(p) && planar.MultiPolygonContains(mp, p) }
	}
	var err error
	pl.p.BuildingReport, err = geo.ScanBuildings(o.BuildingsPath, geo.LoadOptions{EPSG: o.BuildingsEPSG, FS: o.FS}, func(b geo.Building) error {
		if inside != nil && !inside(b.Centroid) {
			return nil
		}
		if len(pl.bs)%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		idx := len(pl.bs)
		pl.bs = append(pl.bs, planBuilding{c: b.Centroid, box: box32(b.Footprint.Bound()), altM: b.GroundAltM, fpM2: b.FootprintM2,
			commune: pl.names.id(b.CommuneINSEE), communeRef: pl.names.id(b.CommuneRef), parcelRef: b.ParcelRef, parcel: -1})
		return pl.spillRec(appendBuilding(pl.buf[:0], idx, &b))
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	if o.ParcelsPath != "" {
		pl.p.ParcelReport, err = geo.ScanParcels(o.ParcelsPath, geo.LoadOptions{EPSG: o.ParcelsEPSG, FS: o.FS}, func(p geo.Parcel) error {
			c, _ := planar.CentroidArea(p.Geometry)
			if inside != nil && !inside(c) {
				return nil
			}
			idx := len(pl.ps)
			b := p.Geometry.Bound()
			pp := planParcel{c: c, box: box32(b), areaM2: p.AreaM2, commune: pl.names.id(p.CommuneINSEE)}
			if p.IDSource == geo.IDFromAttribute {
				pp.attrID = p.ID
			} else {
				g := geo.GeometryID(p.Geometry)
				pp.geomID, _ = strconv.ParseUint(g[1:], 16, 64)
			}
			if idx == 0 {
				pl.pBound = b
			} else {
				pl.pBound = pl.pBound.Union(b)
			}
			pl.pSum += p.AreaM2
			pl.ps = append(pl.ps, pp)
			return pl.spillRec(appendParcel(pl.buf[:0], idx, &p))
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%w: %w", ErrInput, err)
		}
	}
	if len(pl.bs) == 0 {
		rep := pl.p.BuildingReport
		if o.AreaWGS84 != nil && rep.Kept > 0 {
			return fmt.Errorf("%w: study area: no building of %s has its centroid in the area", ErrInput, rep.File)
		}
		return fmt.Errorf("%w: %s: no valid building (%d read, %d rejected)", ErrInput, o.BuildingsPath, rep.Read, rep.Rejected)
	}
	if o.AreaWGS84 != nil {
		kp := 0
		if pl.p.ParcelReport != nil {
			kp = pl.p.ParcelReport.Kept
		}
		pl.p.Warnings = append(pl.p.Warnings, fmt.Sprintf("study area: kept %d of %d buildings and %d of %d parcels (centroid inside)",
			len(pl.bs), pl.p.BuildingReport.Kept, len(pl.ps), kp))
	}
	pl.p.Buildings, pl.p.Parcels = len(pl.bs), len(pl.ps)
	return pl.sw.Flush()
}

func (pl *planner) spillRec(rec []byte) error {
	pl.buf = rec[:0]
	var n [binary.MaxVarintLen64]byte
	if _, err := pl.sw.Write(n[:binary.PutUvarint(n[:], uint64(len(rec)))]); err != nil {
		return fmt.Errorf("streaming study: spill: %w", err)
	}
	if _, err := pl.sw.Write(rec); err != nil {
		return fmt.Errorf("streaming study: spill: %w", err)
	}
	return nil
}

// readSpill calls fn with every spilled record, in file order.
func (pl *planner) readSpill(ctx context.Context, fn func(rec []byte) error) error {
	if _, err := pl.spill.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := readRecords(ctx, pl.spill, fn); err != nil {
		return fmt.Errorf("streaming study: spill: %w", err)
	}
	return nil
}

// chunks cuts the territory by a kd split of the building centroids
// (median along the longer side of each cell until a cell holds at most
// ChunkBuildings), gives every parcel the chunk of its centroid, computes
// the load bounds and routes every spilled record to the chunks whose load
// bound its bounds meet.
func (pl *planner) chunks(ctx context.Context) error {
	idx := make([]int32, len(pl.bs))
	for i := range idx {
		idx[i] = int32(i)
	}
	var specs []ChunkSpec
	var split func(ids []int32, cell [4]float64) *kdNode
	split = func(ids []int32, cell [4]float64) *kdNode {
		if len(ids) > pl.so.ChunkBuildings {
			lo, hi := pl.bs[ids[0]].c, pl.bs[ids[0]].c
			for _, i := range ids {
				c := pl.bs[i].c
				lo = orb.Point{math.Min(lo[0], c[0]), math.Min(lo[1], c[1])}
				hi = orb.Point{math.Max(hi[0], c[0]), math.Max(hi[1], c[1])}
			}
			axis := 0
			if hi[1]-lo[1] > hi[0]-lo[0] {
				axis = 1
			}
			sort.Slice(ids, func(a, b int) bool {
				ca, cb := pl.bs[ids[a]].c[axis], pl.bs[ids[b]].c[axis]
				return ca < cb || (ca == cb && ids[a] < ids[b])
			})
			v := pl.bs[ids[len(ids)/2]].c[axis]
			m := sort.Search(len(ids), func(k int) bool { return pl.bs[ids[k]].c[axis] >= v })
			if m > 0 { // a split that moves buildings (all equal: one chunk)
				lc, rc := cell, cell
				lc[axis+2], rc[axis] = v, v
				n := &kdNode{axis: axis, v: v, chunk: -1}
				n.left = split(ids[:m], lc)
				n.right = split(ids[m:], rc)
				return n
			}
		}
		k := len(specs)
		specs = append(specs, ChunkSpec{Index: k, Core: cell, Buildings: len(ids)})
		for _, i := range ids {
			pl.bs[i].chunk = int32(k)
		}
		return &kdNode{chunk: k}
	}
	root := split(idx, [4]float64{-kdInfinity, -kdInfinity, kdInfinity, kdInfinity})
	idx = nil
	// Load bounds: the core buildings and core parcels, the buildings whose
	// bounds meet the core parcels' (a building assigned to a core parcel
	// may reach outside the cell), all expanded by the horizon radius and a
	// margin (their shading neighbours).
	maxExt := 0.0
	for i := range pl.bs {
		b := &pl.bs[i].box
		maxExt = math.Max(maxExt, math.Max(float64(b[2]-b[0]), float64(b[3]-b[1])))
	}
	pl.p.MaxExtentM = maxExt
	pl.p.HaloM = geo.DefaultHorizonOptions().RadiusM + HaloMarginM
	loads := make([]orb.Bound, len(specs))
	has := make([]bool, len(specs))
	extend := func(k int, b orb.Bound) {
		if !has[k] {
			loads[k], has[k] = b, true
		} else {
			loads[k] = loads[k].Union(b)
		}
	}
	pboxes := make([]orb.Bound, len(specs))
	pHas := make([]bool, len(specs))
	for i := range pl.bs {
		extend(int(pl.bs[i].chunk), bound32(pl.bs[i].box))
	}
	for i := range pl.ps {
		k := root.locate(pl.ps[i].c)
		pl.ps[i].chunk = int32(k)
		specs[k].Parcels++
		b := bound32(pl.ps[i].box)
		extend(k, b)
		if !pHas[k] {
			pboxes[k], pHas[k] = b, true
		} else {
			pboxes[k] = pboxes[k].Union(b)
		}
	}
	if len(pl.ps) > 0 {
		var withParcels []int
		for k, ok := range pHas {
			if ok {
				withParcels = append(withParcels, k)
			}
		}
		pix := geo.NewIndex(len(withParcels), func(j int) orb.Bound { return pboxes[withParcels[j]] })
		for i := range pl.bs {
			b := bound32(pl.bs[i].box)
			pix.Search(b, func(j int) bool {
				extend(withParcels[j], b)
				return true
			})
		}
	}
	for k := range specs {
		l := loads[k].Pad(pl.p.HaloM)
		specs[k].Load = [4]float64{l.Min[0], l.Min[1], l.Max[0], l.Max[1]}
		loads[k] = l
	}
	ix := geo.NewIndex(len(loads), func(k int) orb.Bound { return loads[k] })
	err := pl.readSpill(ctx, func(rec []byte) error {
		kind, i, err := recordHead(rec)
		if err != nil {
			return err
		}
		var b orb.Bound
		if kind == recBuilding {
			b = bound32(pl.bs[i].box)
		} else {
			b = bound32(pl.ps[i].box)
		}
		var serr error
		ix.Search(b, func(k int) bool {
			specs[k].Records++
			serr = pl.so.Stage.Append(ctx, k, rec)
			return serr == nil
		})
		return serr
	})
	if err != nil {
		return err
	}
	pl.p.Chunks = specs
	return pl.so.Stage.Flush(ctx)
}

// recordHead returns the kind and plan index of a staged record.
func recordHead(rec []byte) (byte, int, error) {
	if len(rec) < 2 {
		return 0, 0, errRecord
	}
	v, n := binary.Uvarint(rec[1:])
	if n <= 0 {
		return 0, 0, errRecord
	}
	return rec[0], int(v), nil
}

// chunkFeatures is one chunk's decoded records: the buildings and parcels
// (in plan order) with their plan indexes and core flags.
type chunkFeatures struct {
	t            *geo.Territory
	bIdx, pIdx   []int
	coreB, coreP []bool
}

// readChunk decodes the records of chunk k.
func readChunk(ctx context.Context, st ChunkStage, spec *ChunkSpec) (*chunkFeatures, error) {
	cf := &chunkFeatures{t: &geo.Territory{}}
	err := st.Read(ctx, spec.Index, func(rec []byte) error {
		kind, idx, b, p, err := decodeRecord(rec)
		if err != nil {
			return fmt.Errorf("chunk %d: %w", spec.Index, err)
		}
		if kind == recBuilding {
			cf.t.Buildings = append(cf.t.Buildings, b)
			cf.bIdx = append(cf.bIdx, idx)
			cf.coreB = append(cf.coreB, inCore(spec, b.Centroid))
		} else {
			c, _ := planar.CentroidArea(p.Geometry)
			cf.t.Parcels = append(cf.t.Parcels, p)
			cf.pIdx = append(cf.pIdx, idx)
			cf.coreP = append(cf.coreP, inCore(spec, c))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !sort.IntsAreSorted(cf.bIdx) || !sort.IntsAreSorted(cf.pIdx) {
		return nil, fmt.Errorf("chunk %d: %w: records out of plan order", spec.Index, errRecord)
	}
	cf.t.BuildingIndex = geo.IndexBuildings(cf.t.Buildings)
	cf.t.ParcelIndex = geo.IndexParcels(cf.t.Parcels)
	return cf, nil
}

// assign runs the building→parcel assignment chunk by chunk (each core
// building sees every parcel its footprint meets) and records each core
// building's parcel.
func (pl *planner) assign(ctx context.Context) error {
	if len(pl.ps) == 0 {
		return nil
	}
	for k := range pl.p.Chunks {
		cf, err := readChunk(ctx, pl.so.Stage, &pl.p.Chunks[k])
		if err != nil {
			return err
		}
		parcel, shortcut, err := geo.AssignOnly(ctx, cf.t.Buildings, cf.t.Parcels, cf.t.ParcelIndex, pl.o.Workers)
		if err != nil {
			return err
		}
		for i, core := range cf.coreB {
			if !core {
				continue
			}
			b := &pl.bs[cf.bIdx[i]]
			if parcel[i] >= 0 {
				b.parcel, b.shortcut = int32(cf.pIdx[parcel[i]]), shortcut[i]
			}
		}
		pl.o.Progress.Add(1)
	}
	return nil
}

// planRecovery is geo.IDRecovery over the plan's records.
type planRecovery struct {
	pl        *planner
	start     []int32 // CSR of the buildings per parcel
	members   []int32
	ids       []string // final ids of the parcels without an attribute id ("" others)
	src       []string
	natural   func(p int) string
	crossNeed []bool
}

func (r *planRecovery) Parcels() int { return len(r.pl.ps) }
func (r *planRecovery) AttributeID(p int) string {
	return r.pl.ps[p].attrID
}
func (r *planRecovery) HasBuildings(p int) bool { return r.start[p+1] > r.start[p] }
func (r *planRecovery) Refs(p int, fn func(string)) {
	for _, b := range r.members[r.start[p]:r.start[p+1]] {
		fn(r.pl.bs[b].parcelRef)
	}
}
func (r *planRecovery) GeometryID(p int) string {
	return fmt.Sprintf("G%012x", r.pl.ps[p].geomID)
}
func (r *planRecovery) SetID(p int, id, source string) {
	r.ids[p], r.src[p] = id, source
}

// territory computes the territory-wide state from the records: parcel
// ids, commune assignment, coherence checks, centre, heat climate,
// scaling by place, attribution.
func (pl *planner) territory(ctx context.Context) error {
	o, p := pl.o, pl.p
	// Parcel ids over the whole territory (geo.RecoverIDs, as Run). Run
	// reports an assignment whenever a parcels file is given, except after
	// a study-area clip that kept no parcel (clipTerritory).
	if len(pl.ps) > 0 || (o.ParcelsPath != "" && o.AreaWGS84 == nil) {
		rep := &geo.AssignReport{Buildings: len(pl.bs), Parcels: len(pl.ps)}
		rec := &planRecovery{pl: pl, start: make([]int32, len(pl.ps)+1), ids: make([]string, len(pl.ps)), src: make([]string, len(pl.ps))}
		for i := range pl.bs {
			if q := pl.bs[i].parcel; q >= 0 {
				rec.start[q+1]++
				rep.Assigned++
				if pl.bs[i].shortcut {
					rep.ByShortcut++
				} else {
					rep.ByOverlap++
				}
			}
		}
		for q := range pl.ps {
			rec.start[q+1] += rec.start[q]
		}
		rec.members = make([]int32, rec.start[len(pl.ps)])
		fill := append([]int32(nil), rec.start[:len(pl.ps)]...)
		for i := range pl.bs {
			if q := pl.bs[i].parcel; q >= 0 {
				rec.members[fill[q]] = int32(i)
				fill[q]++
			}
		}
		fill = nil
		geo.RecoverIDs(rec, rep)
		// The chunks derive a parcel's id themselves (majority ref, else
		// geometry id) unless the plan gives it: the plan does for the
		// parcels whose id that rule misses (collisions) and for those a
		// building of another chunk is assigned to (that chunk does not
		// see all the parcel's buildings).
		p.ParcelIDs, p.ParcelIDSources = map[int]string{}, map[int]string{}
		for q := range pl.ps {
			pp := &pl.ps[q]
			id := pp.attrID
			if id == "" {
				id = rec.ids[q]
				natural := rec.GeometryID(q)
				if best, votes, _ := geo.MajorityRef(func(fn func(string)) { rec.Refs(q, fn) }); votes > 0 {
					natural = best
				}
				cross := false
				for _, b := range rec.members[rec.start[q]:rec.start[q+1]] {
					if pl.bs[b].chunk != pp.chunk {
						cross = true
						break
					}
				}
				if cross || id != natural {
					p.ParcelIDs[q], p.ParcelIDSources[q] = id, rec.src[q]
				}
				if rec.src[q] == geo.IDFromBuildings && pl.names.str(pp.commune) == "" {
					pp.commune = pl.names.id(id[:5])
				}
			}
			// RefAgree / RefCompared: assigned buildings with a ParcelRef
			// equal to their parcel's final id.
			for _, b := range rec.members[rec.start[q]:rec.start[q+1]] {
				if ref := pl.bs[b].parcelRef; ref != "" {
					rep.RefCompared++
					if ref == id {
						rep.RefAgree++
					}
				}
			}
		}
		p.Assignment = rep
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Communes (communes.go), on the records.
	outlines, err := loadCommunes(o.FS, o.BoundariesPath)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	ca := newCommuneAssigner(outlines)
	seen := map[uint32]bool{}
	alts, areas := make([]float64, len(pl.bs)), make([]float64, len(pl.bs))
	var cb orb.Bound
	for i := range pl.bs {
		r := &pl.bs[i]
		b := geo.Building{CommuneINSEE: pl.names.str(r.commune), CommuneRef: pl.names.str(r.communeRef), ParcelRef: r.parcelRef, Centroid: r.c}
		ca.building(&b)
		r.commune = pl.names.id(b.CommuneINSEE)
		if !seen[r.commune] {
			seen[r.commune] = true
			p.Climate.Communes = append(p.Climate.Communes, b.CommuneINSEE)
		}
		alts[i], areas[i] = r.altM, r.fpM2
		if i == 0 {
			cb = orb.Bound{Min: r.c, Max: r.c}
		} else {
			cb = cb.Extend(r.c)
		}
	}
	for q := range pl.ps {
		pp := &pl.ps[q]
		pa := geo.Parcel{CommuneINSEE: pl.names.str(pp.commune)}
		ca.parcel(&pa, pp.c)
	}
	p.OutlinesKept = ca.keptIndexes()
	_, p.CommuneAssignment = ca.kept()
	cl := climateOf(alts, areas, p.Climate.Communes)
	p.Climate.AltitudeM, p.Climate.Missing, p.Climate.OK = cl.AltitudeM, cl.Missing, cl.OK
	alts = nil
	// Coherence (coherence.go) on the same figures as Run.
	var pwarn string
	if len(pl.ps) >= 20 && len(pl.bs) >= 20 {
		pa := make([]float64, len(pl.ps))
		for q := range pl.ps {
			pa[q] = pl.ps[q].areaM2
		}
		cover := 0.0
		if box := (pl.pBound.Max[0] - pl.pBound.Min[0]) * (pl.pBound.Max[1] - pl.pBound.Min[1]); box > 0 {
			cover = pl.pSum / box
		}
		pwarn = checkParcelAreas(pa, areas, cover)
	}
	areas = nil
	r := &Result{}
	if err := checkInputs(o, p.Assignment, p.BuildingReport, pwarn, r); err != nil {
		return err
	}
	p.Warnings = append(p.Warnings, r.Warnings...)
	p.Attribution = detectAttribution(o)
	// Territory centre (territoryCentreWGS84).
	toWGS, err := crs.FromLambert93(crs.EPSG4326)
	if err != nil {
		return err
	}
	c := toWGS(cb.Center())
	p.CentreWGS84 = [2]float64{c[0], c[1]}
	// Scaling by place (byplace.go): the groups over every building.
	if o.IrradiancePath != "" {
		ws, err := readWeather(o.FS, o.WeatherPath, o.WeatherSite)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInput, err)
		}
		ps, err := newPlaceSampler(ws, o)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInput, err)
		}
		pp := &placePlanner{ps: ps, byKey: map[int]int{}}
		for i := range pl.bs {
			if err := pp.add(&geo.Building{ID: fmt.Sprintf("#%d (kept buildings in file order)", i+1), Centroid: pl.bs[i].c}); err != nil {
				return fmt.Errorf("%w: %w", ErrInput, err)
			}
		}
		p.Places = pp.result()
	}
	return nil
}
