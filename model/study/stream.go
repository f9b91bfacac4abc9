package study

// Streaming study (issue 16): the territory is cut into chunks of a few
// thousand buildings, each computed with a halo of neighbours and written
// before the next, so that memory depends on the chunk, not the territory.
//
// Three steps, each usable on its own so that distributed workers (one
// process per chunk, on other machines) run the same code:
//
//   - PlanStudy streams the buildings and parcels files once, feature by
//     feature, through the same validation as LoadBuildings/LoadParcels
//     (geo.ScanBuildings, geo.ScanParcels), writes per feature a small
//     fixed-size record (centroid, bounds, area, ground altitude, commune
//     codes, parcel reference) to a temporary file read back in sequential
//     passes (stream_planrec.go), keeps in memory only what it reads at
//     random (chunk, assigned parcel, parcel ids: 9 bytes per building, 30
//     per parcel), spills every validated feature to a temporary file, cuts the
//     territory into chunks by a kd split on the building centroids
//     (≤ StreamOptions.ChunkBuildings each), routes every feature to its
//     core chunk and to every chunk whose halo needs it (ChunkStage), runs
//     the building→parcel assignment chunk by chunk, and computes every
//     territory-wide quantity (territory centre, scaling by place, heat
//     altitude and design temperatures, commune assignment, coherence
//     checks, parcel-id recovery, load reports) into the Plan.
//   - RunChunk computes one chunk from its staged records and the Plan,
//     through the same stages as Run, and returns the rows of its core
//     buildings, roof planes and parcels (the same row builders as Layers)
//     and its partial aggregate (JSON).
//   - FinishStudy merges the partial aggregates with the same aggregation
//     code as Run (aggregate.go goes through partials in both paths) into
//     the communes, zones and car-park layers, the totals and the summary.
//     The value lists behind the quantiles go to temporary files beyond a
//     fixed budget (internal/spillq), whose quantiles are exact.
//
// RunStream chains them locally on a data.ChunkStore.
//
// Exactness. A chunk's core is a cell of the kd split: the buildings whose
// centroid lies in it, and the parcels whose centroid lies in it. A
// chunk loads every building and parcel whose bounds meet its load bound:
// the bounds of its core buildings and core parcels, and of every building
// whose bounds meet its core parcels' (so that every building assigned to
// a core parcel is loaded, even when it lies outside the cell), expanded
// by the horizon radius (their shading neighbours) and a margin. The buildings
// whose results a chunk needs (its core buildings and those of its core
// parcels) then see exactly the parcels and neighbours they see in the
// one-shot run; buildings of the halo are loaded as obstacles.
// Every territory-wide quantity comes from the Plan, so per-row results are
// those of Run (TestStreamMatchesRun compares every row of every layer on
// the sample).

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/gisement/gisement/geo"

	"github.com/gisement/gisement/data"
)

// StreamOptions configure the streaming study.
type StreamOptions struct {
	// ChunkBuildings is the target number of core buildings per chunk
	// (default DefaultChunkBuildings).
	ChunkBuildings int
	// Stage keeps the routed records between planning and the chunks (nil
	// = a FileStage in TempDir, removed by RunStream at the end).
	Stage ChunkStage
	// TempDir holds the temporary files: the stage, the plan records and
	// the finish's spilled quantile lists ("" = os.TempDir()).
	TempDir string
}

// DefaultChunkBuildings is the default chunk size: 5,000 buildings keep a
// chunk's working memory to a few hundred MB while the halo (100 m around
// a tile of about 1–2 km² in town) adds a modest share of obstacles.
const DefaultChunkBuildings = 5000

// StreamAboveBuildings: `gisement study` streams by default above this many
// buildings (the one-shot run holds the whole result in memory: about
// 12 GB for 1 M buildings).
const StreamAboveBuildings = 200_000

// ChunkSpec describes one chunk of a Plan.
type ChunkSpec struct {
	Index int `json:"index"`
	// Core is the chunk's kd cell [minx, miny, maxx, maxy] in Lambert-93
	// metres, half-open (min ≤ x < max); outer cells reach ±1e9.
	Core [4]float64 `json:"core"`
	// Load is the bound of the loaded features (core and halo).
	Load [4]float64 `json:"load"`
	// Buildings and Parcels count the core features; Records all staged
	// records (core and halo).
	Buildings int `json:"buildings"`
	Parcels   int `json:"parcels"`
	Records   int `json:"records"`
}

// Plan is a planned streaming study: its chunks and every territory-wide
// quantity the chunks read. It is JSON-serialisable, so that it can be
// stored with the study and chunks run by workers on other machines (with
// the same Options and a ChunkStage holding the routed records).
type Plan struct {
	StudyID      string    `json:"study_id"`
	Name         string    `json:"name"`
	ScenarioHash string    `json:"scenario_hash"`
	StartedAt    time.Time `json:"started_at"`
	// Buildings and Parcels: features kept (valid, inside the study area).
	Buildings int `json:"buildings"`
	Parcels   int `json:"parcels"`
	// HaloM is the distance by which a chunk's core bounds (its core
	// buildings and parcels, and the buildings meeting its core parcels'
	// bounds) are expanded into its load bound: the horizon radius +
	// HaloMarginM. MaxExtentM is the largest building extent (reported).
	HaloM      float64     `json:"halo_m"`
	MaxExtentM float64     `json:"max_extent_m"`
	Chunks     []ChunkSpec `json:"chunks"`
	// CentreWGS84 is the territory centre [lon, lat] (centre of the
	// buildings' centroid bounds, as territoryCentreWGS84).
	CentreWGS84 [2]float64 `json:"centre_wgs84"`
	// Climate: the heat model's territory altitude and the communes whose
	// design temperature it needs (heatfield.go).
	Climate HeatClimate `json:"climate"`
	// ParcelIDs holds the final id of the parcels (by plan index, the order
	// of the kept parcels in the file) that lack an id attribute and are
	// needed outside their core chunk or whose id the chunk cannot derive
	// alone (recovered-id collisions, geometry-id suffixes).
	ParcelIDs map[int]string `json:"parcel_ids,omitempty"`
	// ParcelIDSources: the id source (geo.IDFrom…) of the same parcels.
	ParcelIDSources map[int]string `json:"parcel_id_sources,omitempty"`
	// Places: the scaling by place (nil without an irradiance grid).
	Places *PlacePlan `json:"places,omitempty"`
	// Reports of the loads, the building→parcel assignment and the
	// commune assignment; OutlinesKept the indexes of the commune outlines
	// holding a building or parcel.
	BuildingReport    *geo.LoadReport   `json:"building_report"`
	ParcelReport      *geo.LoadReport   `json:"parcel_report,omitempty"`
	Assignment        *geo.AssignReport `json:"assignment,omitempty"`
	CommuneAssignment CommuneAssignment `json:"commune_assignment"`
	OutlinesKept      []int             `json:"outlines_kept,omitempty"`
	Warnings          []string          `json:"warnings,omitempty"`
	Attribution       []Attribution     `json:"attribution,omitempty"`
	Inputs            map[string]string `json:"inputs"`
	// Stages: the planning stages' wall times.
	Stages []StageTime `json:"stages"`
}

// HeatClimate is the territory-wide input of the heat model: the
// footprint-weighted median ground altitude (heat.TerritoryAltitudeM), the
// number of buildings without one, and the communes (design temperatures).
type HeatClimate struct {
	AltitudeM float64  `json:"altitude_m"`
	Missing   int      `json:"altitude_missing"`
	OK        bool     `json:"altitude_ok"`
	Communes  []string `json:"communes"`
}

// HaloMarginM is added to the halo (our choice: covers the rounding of
// bounds and the 0.05 m vertex tolerance of the assignment many times).
const HaloMarginM = 5.0

// PlanStudy plans a streaming study: see the package notes above. The
// routed records go to so.Stage (required here; RunStream supplies a
// FileStage). Errors caused by the inputs wrap ErrInput.
func PlanStudy(ctx context.Context, o Options, so StreamOptions) (*Plan, error) {
	return planStudy(ctx, o, so)
}

// RunChunk computes chunk (index into p.Chunks) from the records in st:
// it returns the chunk's partial aggregate (JSON, for FinishStudy) and the
// rows of its core buildings, roof planes and parcels. It is deterministic:
// a retried chunk returns the same rows. A worker running many chunks sets
// o.Cache (one per process) so that the weather year, its sky and the
// rooftop fast path are prepared once; o must be the Options the plan was
// made with (same files, scenario and settings).
func RunChunk(ctx context.Context, o Options, p *Plan, chunk int, st ChunkStage) (json.RawMessage, []data.LayerData, error) {
	return runChunk(ctx, o, p, chunk, st)
}

// FinishStudy merges the partial aggregates of every chunk (each exactly
// once) into the study metadata (summary, totals) and the whole-study
// layers (communes, zones, car parks). The quantiles' value lists spill
// under os.TempDir() beyond 8 MiB (removed on return).
func FinishStudy(ctx context.Context, o Options, p *Plan, partials iter.Seq2[data.ChunkPartial, error]) (data.Study, []data.LayerData, error) {
	return finishStudy(ctx, o, p, partials)
}

// RunStream runs a whole streaming study locally: PlanStudy, BeginStudy,
// then for each chunk RunChunk and WriteChunk, then FinishStudy. Memory is
// bounded by the chunk, plus the plan's per-feature state read at random
// (about 9 bytes per building and 30 per parcel, the building centroids
// during the kd split: 16 bytes) and the loaders' duplicate-id sets.
func RunStream(ctx context.Context, o Options, so StreamOptions, store data.ChunkStore) (*Plan, error) {
	return runStream(ctx, o, so, store)
}
