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
	"golang.org/x/sync/errgroup"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/crs"
)

// idu is a parcel id of 14 characters held without a pointer ("" = all
// zero bytes): ParcelRef and attribute ids are always IDUs (geo.LoadParcels
// keeps attribute ids of 14 characters only, ScanBuildings ParcelRefs that
// are IDUs).
type idu [14]byte

func iduOf(s string) (v idu) {
	if len(s) == len(v) {
		copy(v[:], s)
	}
	return v
}

func (v *idu) String() string {
	if v[0] == 0 {
		return ""
	}
	return string(v[:])
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

// planner is the state of PlanStudy. Per feature it holds in memory only
// what the plan reads at random (9 bytes per building and 30 per parcel,
// plus the building centroids until the kd split and the recovery's CSR
// of the assigned buildings); the rest is in recs (stream_planrec.go),
// read in sequential passes.
type planner struct {
	o     *Options
	so    StreamOptions
	p     *Plan
	recs  *planRecs
	names interner
	spill *os.File
	sw    *bufio.Writer
	buf   []byte
	// buildings (plan index): centroids (kd split, then nil), chunk,
	// assigned parcel (-1 none) and whether by the shortcut
	cent    []orb.Point
	bChunk  []int32
	bParcel []int32
	bShort  []bool
	anyRef  bool    // a building has a ParcelRef
	maxExtM float64 // largest building extent, m
	// parcels (plan index): chunk, interned CommuneINSEE (attribute, then
	// recovery, then outlines), attribute id (none: zero), GeometryID hash
	// (parcels without an attribute id)
	pChunk   []int32
	pCommune []uint32
	pAttr    []idu
	pGeom    []uint64
	// parcel cover of the coherence checks (exact float64, file order)
	pBound orb.Bound
	pSum   float64
}

// nb and np are the numbers of kept buildings and parcels.
func (pl *planner) nb() int { return len(pl.bChunk) }
func (pl *planner) np() int { return len(pl.pChunk) }

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
	if pl.recs, err = newPlanRecs(so.TempDir); err != nil {
		return nil, err
	}
	defer pl.recs.close()
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
		idx := pl.nb()
		if idx%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		bb := b.Footprint.Bound()
		pl.maxExtM = math.Max(pl.maxExtM, math.Max(float64(float32(bb.Max[0])-float32(bb.Min[0])), float64(float32(bb.Max[1])-float32(bb.Min[1]))))
		rec := planBuilding{c: b.Centroid, box: box32(bb), altM: b.GroundAltM, fpM2: b.FootprintM2,
			commune: pl.names.id(b.CommuneINSEE), communeRef: pl.names.id(b.CommuneRef), parcelRef: iduOf(b.ParcelRef)}
		if err := pl.recs.addBuilding(&rec); err != nil {
			return err
		}
		pl.cent = append(pl.cent, b.Centroid)
		pl.bChunk = append(pl.bChunk, -1)
		pl.bParcel = append(pl.bParcel, -1)
		pl.bShort = append(pl.bShort, false)
		pl.anyRef = pl.anyRef || b.ParcelRef != ""
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
			idx := pl.np()
			b := p.Geometry.Bound()
			var attr idu
			var geomID uint64
			if p.IDSource == geo.IDFromAttribute {
				if attr = iduOf(p.ID); attr.String() != p.ID {
					return fmt.Errorf("parcel %s: attribute id of %d characters, want 14", p.ID, len(p.ID))
				}
			} else {
				g := geo.GeometryID(p.Geometry)
				geomID, _ = strconv.ParseUint(g[1:], 16, 64)
			}
			if err := pl.recs.addParcel(&planParcel{c: c, box: box32(b), areaM2: p.AreaM2}); err != nil {
				return err
			}
			pl.pChunk = append(pl.pChunk, -1)
			pl.pCommune = append(pl.pCommune, pl.names.id(p.CommuneINSEE))
			pl.pAttr = append(pl.pAttr, attr)
			pl.pGeom = append(pl.pGeom, geomID)
			if idx == 0 {
				pl.pBound = b
			} else {
				pl.pBound = pl.pBound.Union(b)
			}
			pl.pSum += p.AreaM2
			return pl.spillRec(appendParcel(pl.buf[:0], idx, &p))
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%w: %w", ErrInput, err)
		}
	}
	if pl.nb() == 0 {
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
			pl.nb(), pl.p.BuildingReport.Kept, pl.np(), kp))
	}
	pl.p.Buildings, pl.p.Parcels = pl.nb(), pl.np()
	if err := pl.recs.w.Flush(); err != nil {
		return fmt.Errorf("streaming study: plan records: %w", err)
	}
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
	idx := make([]int32, pl.nb())
	for i := range idx {
		idx[i] = int32(i)
	}
	cent := pl.cent
	var specs []ChunkSpec
	var split func(ids []int32, cell [4]float64) *kdNode
	split = func(ids []int32, cell [4]float64) *kdNode {
		if len(ids) > pl.so.ChunkBuildings {
			lo, hi := cent[ids[0]], cent[ids[0]]
			for _, i := range ids {
				c := cent[i]
				lo = orb.Point{math.Min(lo[0], c[0]), math.Min(lo[1], c[1])}
				hi = orb.Point{math.Max(hi[0], c[0]), math.Max(hi[1], c[1])}
			}
			axis := 0
			if hi[1]-lo[1] > hi[0]-lo[0] {
				axis = 1
			}
			sort.Slice(ids, func(a, b int) bool {
				ca, cb := cent[ids[a]][axis], cent[ids[b]][axis]
				return ca < cb || (ca == cb && ids[a] < ids[b])
			})
			v := cent[ids[len(ids)/2]][axis]
			m := sort.Search(len(ids), func(k int) bool { return cent[ids[k]][axis] >= v })
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
			pl.bChunk[i] = int32(k)
		}
		return &kdNode{chunk: k}
	}
	root := split(idx, [4]float64{-kdInfinity, -kdInfinity, kdInfinity, kdInfinity})
	idx, pl.cent, cent = nil, nil, nil // the centroids are not needed any more
	// Load bounds: the core buildings and core parcels, the buildings whose
	// bounds meet the core parcels' (a building assigned to a core parcel
	// may reach outside the cell), all expanded by the horizon radius and a
	// margin (their shading neighbours).
	pl.p.MaxExtentM = pl.maxExtM
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
	if err := pl.recs.eachBuilding(ctx, func(i int, r *planBuilding) error {
		extend(int(pl.bChunk[i]), bound32(r.box))
		return nil
	}); err != nil {
		return err
	}
	if err := pl.recs.eachParcel(ctx, func(q int, r *planParcel) error {
		k := root.locate(r.c)
		pl.pChunk[q] = int32(k)
		specs[k].Parcels++
		b := bound32(r.box)
		extend(k, b)
		if !pHas[k] {
			pboxes[k], pHas[k] = b, true
		} else {
			pboxes[k] = pboxes[k].Union(b)
		}
		return nil
	}); err != nil {
		return err
	}
	if pl.np() > 0 {
		var withParcels []int
		for k, ok := range pHas {
			if ok {
				withParcels = append(withParcels, k)
			}
		}
		pix := geo.NewIndex(len(withParcels), func(j int) orb.Bound { return pboxes[withParcels[j]] })
		if err := pl.recs.eachBuilding(ctx, func(_ int, r *planBuilding) error {
			b := bound32(r.box)
			pix.Search(b, func(j int) bool {
				extend(withParcels[j], b)
				return true
			})
			return nil
		}); err != nil {
			return err
		}
	}
	for k := range specs {
		l := loads[k].Pad(pl.p.HaloM)
		specs[k].Load = [4]float64{l.Min[0], l.Min[1], l.Max[0], l.Max[1]}
		loads[k] = l
	}
	ix := geo.NewIndex(len(loads), func(k int) orb.Bound { return loads[k] })
	// The spill and the plan records are in the same order: read in step.
	rd, err := pl.recs.reader(ctx)
	if err != nil {
		return err
	}
	var rb planBuilding
	var rp planParcel
	err = pl.readSpill(ctx, func(rec []byte) error {
		kind, i, err := recordHead(rec)
		if err != nil {
			return err
		}
		var b orb.Bound
		if kind == recBuilding {
			if i != rd.ib {
				return fmt.Errorf("streaming study: spill: building %d, plan record %d", i, rd.ib)
			}
			if err := rd.building(&rb); err != nil {
				return err
			}
			b = bound32(rb.box)
		} else {
			if i != rd.ip {
				return fmt.Errorf("streaming study: spill: parcel %d, plan record %d", i, rd.ip)
			}
			if err := rd.parcel(&rp); err != nil {
				return err
			}
			b = bound32(rp.box)
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
// building's parcel. Two chunks at a time (chunksInFlight), so that
// reading and indexing one (serial) overlaps the other's assignment; a
// core building is in one chunk only, so the records do not collide.
func (pl *planner) assign(ctx context.Context) error {
	if pl.np() == 0 {
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(chunksInFlight)
	for k := range pl.p.Chunks {
		g.Go(func() error {
			cf, err := readChunk(gctx, pl.so.Stage, &pl.p.Chunks[k])
			if err != nil {
				return err
			}
			parcel, shortcut, err := geo.AssignOnly(gctx, cf.t.Buildings, cf.t.Parcels, cf.t.ParcelIndex, pl.o.Workers)
			if err != nil {
				return err
			}
			for i, core := range cf.coreB {
				if !core {
					continue
				}
				if parcel[i] >= 0 {
					pl.bParcel[cf.bIdx[i]], pl.bShort[cf.bIdx[i]] = int32(cf.pIdx[parcel[i]]), shortcut[i]
				}
			}
			pl.o.Progress.Add(1)
			return nil
		})
	}
	return g.Wait()
}

// planRecovery is geo.IDRecovery over the plan's records.
type planRecovery struct {
	pl      *planner
	rep     *geo.AssignReport
	start   []int32 // CSR of the buildings per parcel
	members []int32
	refs    []idu // ParcelRef of members[k] (nil: no building has one)
}

// ref returns the ParcelRef of the building at CSR position k.
func (r *planRecovery) ref(k int32) string {
	if r.refs == nil {
		return ""
	}
	return r.refs[k].String()
}

func (r *planRecovery) Parcels() int             { return r.pl.np() }
func (r *planRecovery) AttributeID(p int) string { return r.pl.pAttr[p].String() }
func (r *planRecovery) HasBuildings(p int) bool  { return r.start[p+1] > r.start[p] }
func (r *planRecovery) Refs(p int, fn func(string)) {
	for k := r.start[p]; k < r.start[p+1]; k++ {
		fn(r.ref(k))
	}
}
func (r *planRecovery) GeometryID(p int) string {
	return fmt.Sprintf("G%012x", r.pl.pGeom[p])
}

// SetID records a parcel's final id where the chunks need it. A chunk
// derives a parcel's id itself (majority ref of its buildings, else the
// geometry id) unless the plan gives it: the plan does for the parcels
// whose id that rule misses (a recovered id already used, a geometry-id
// suffix) and for those a building of another chunk is assigned to (that
// chunk does not see all the parcel's buildings). A recovered id also
// gives the parcel's commune when it has none (geo.SetParcelID).
func (r *planRecovery) SetID(q int, id, source string) {
	pl := r.pl
	natural := r.GeometryID(q)
	if best, votes, _ := geo.MajorityRef(func(fn func(string)) { r.Refs(q, fn) }); votes > 0 {
		natural = best
	}
	cross := false
	for _, b := range r.members[r.start[q]:r.start[q+1]] {
		if pl.bChunk[b] != pl.pChunk[q] {
			cross = true
			break
		}
	}
	if cross || id != natural {
		pl.p.ParcelIDs[q], pl.p.ParcelIDSources[q] = id, source
	}
	if source == geo.IDFromBuildings && pl.names.str(pl.pCommune[q]) == "" {
		pl.pCommune[q] = pl.names.id(id[:5])
	}
	r.refAgree(q, id)
}

// refAgree counts the assigned buildings of parcel q whose ParcelRef is
// given (RefCompared) and equals its final id (RefAgree).
func (r *planRecovery) refAgree(q int, id string) {
	for k := r.start[q]; k < r.start[q+1]; k++ {
		if ref := r.ref(k); ref != "" {
			r.rep.RefCompared++
			if ref == id {
				r.rep.RefAgree++
			}
		}
	}
}

// territory computes the territory-wide state from the records: parcel
// ids, commune assignment, coherence checks, centre, heat climate,
// scaling by place, attribution.
func (pl *planner) territory(ctx context.Context) error {
	o, p := pl.o, pl.p
	// Parcel ids over the whole territory (geo.RecoverIDs, as Run). Run
	// reports an assignment whenever a parcels file is given, except after
	// a study-area clip that kept no parcel (clipTerritory).
	nb, np := pl.nb(), pl.np()
	if np > 0 || (o.ParcelsPath != "" && o.AreaWGS84 == nil) {
		rep := &geo.AssignReport{Buildings: nb, Parcels: np}
		rec := &planRecovery{pl: pl, rep: rep, start: make([]int32, np+1)}
		for i, q := range pl.bParcel {
			if q >= 0 {
				rec.start[q+1]++
				rep.Assigned++
				if pl.bShort[i] {
					rep.ByShortcut++
				} else {
					rep.ByOverlap++
				}
			}
		}
		for q := range np {
			rec.start[q+1] += rec.start[q]
		}
		rec.members = make([]int32, rec.start[np])
		if pl.anyRef {
			rec.refs = make([]idu, len(rec.members))
		}
		fill := append([]int32(nil), rec.start[:np]...)
		if err := pl.recs.eachBuilding(ctx, func(i int, r *planBuilding) error {
			if q := pl.bParcel[i]; q >= 0 {
				rec.members[fill[q]] = int32(i)
				if rec.refs != nil {
					rec.refs[fill[q]] = r.parcelRef
				}
				fill[q]++
			}
			return nil
		}); err != nil {
			return err
		}
		fill = nil
		p.ParcelIDs, p.ParcelIDSources = map[int]string{}, map[int]string{}
		geo.RecoverIDs(rec, rep)
		for q := range np {
			if id := pl.pAttr[q].String(); id != "" {
				rec.refAgree(q, id)
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
	alts, areas := make([]float64, nb), make([]float64, nb)
	var cb orb.Bound
	if err := pl.recs.eachBuilding(ctx, func(i int, r *planBuilding) error {
		b := geo.Building{CommuneINSEE: pl.names.str(r.commune), CommuneRef: pl.names.str(r.communeRef), ParcelRef: r.parcelRef.String(), Centroid: r.c}
		ca.building(&b)
		if k := pl.names.id(b.CommuneINSEE); !seen[k] {
			seen[k] = true
			p.Climate.Communes = append(p.Climate.Communes, b.CommuneINSEE)
		}
		alts[i], areas[i] = r.altM, r.fpM2
		if i == 0 {
			cb = orb.Bound{Min: r.c, Max: r.c}
		} else {
			cb = cb.Extend(r.c)
		}
		return nil
	}); err != nil {
		return err
	}
	var pa []float64 // parcel areas (coherence)
	if np >= 20 && nb >= 20 {
		pa = make([]float64, np)
	}
	if err := pl.recs.eachParcel(ctx, func(q int, r *planParcel) error {
		pp := geo.Parcel{CommuneINSEE: pl.names.str(pl.pCommune[q])}
		ca.parcel(&pp, r.c)
		if pa != nil {
			pa[q] = r.areaM2
		}
		return nil
	}); err != nil {
		return err
	}
	p.OutlinesKept = ca.keptIndexes()
	_, p.CommuneAssignment = ca.kept()
	cl := climateOf(alts, areas, p.Climate.Communes)
	p.Climate.AltitudeM, p.Climate.Missing, p.Climate.OK = cl.AltitudeM, cl.Missing, cl.OK
	alts = nil
	// Coherence (coherence.go) on the same figures as Run.
	var pwarn string
	if pa != nil {
		cover := 0.0
		if box := (pl.pBound.Max[0] - pl.pBound.Min[0]) * (pl.pBound.Max[1] - pl.pBound.Min[1]); box > 0 {
			cover = pl.pSum / box
		}
		pwarn = checkParcelAreas(pa, areas, cover)
	}
	areas, pa = nil, nil
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
		if err := pl.recs.eachBuilding(ctx, func(i int, r *planBuilding) error {
			if err := pp.add(&geo.Building{ID: fmt.Sprintf("#%d (kept buildings in file order)", i+1), Centroid: r.c}); err != nil {
				return fmt.Errorf("%w: %w", ErrInput, err)
			}
			return nil
		}); err != nil {
			return err
		}
		p.Places = pp.result()
	}
	return nil
}
