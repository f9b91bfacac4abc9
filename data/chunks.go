package data

import (
	"context"
	"encoding/json"
	"iter"
)

// ChunkStore is a Store that receives a study chunk by chunk: the streaming
// study (model/study, memory bounded by the chunk) and distributed workers
// (several processes writing the chunks of one study to one PostGIS) write
// through it. Contract:
//   - BeginStudy registers the study as running, replacing any previous
//     study with the same ID together with its rows and chunk partials.
//   - WriteChunk replaces, in one transaction, every row that an earlier
//     WriteChunk of the same (study, chunk) wrote, and stores the chunk's
//     partial aggregate: a retried chunk never duplicates rows. Layers are
//     created on first use with the same schema checks as WriteStudy. A key
//     written by two different chunks is refused by WriteChunk or, at the
//     latest, by FinishStudy (the GeoPackage store builds its key index
//     there, so that chunk writes stay linear in the territory).
//   - ChunkPartials yields the stored partials of a study, by chunk index.
//   - FinishStudy stores the final study metadata (summary, counts) and the
//     whole-study layers computed from the partials (communes, zones), in
//     one transaction; a study is complete (visible to Study/Studies as
//     done) only once FinishStudy committed.
type ChunkStore interface {
	Store
	BeginStudy(ctx context.Context, study Study, chunks int) error
	WriteChunk(ctx context.Context, studyID string, chunk int, partial json.RawMessage, layers []LayerData) error
	ChunkPartials(ctx context.Context, studyID string) iter.Seq2[ChunkPartial, error]
	FinishStudy(ctx context.Context, study Study, layers []LayerData) error
}

// ChunkPartial is one chunk's stored partial aggregate.
type ChunkPartial struct {
	Chunk   int
	Partial json.RawMessage
}
