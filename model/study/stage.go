package study

import "context"

// ChunkStage keeps the encoded, validated input features of a planned
// streaming study between planning (PlanStudy routes every feature to the
// chunks that need it: its own, and those whose halo it falls in) and the
// computation of each chunk (RunChunk reads one chunk's records back). The
// local implementation spills to temporary files; the distributed one is a
// PostGIS table, so that workers on other machines read the same records.
type ChunkStage interface {
	// Append adds one encoded record to a chunk; called from one goroutine
	// during planning.
	Append(ctx context.Context, chunk int, rec []byte) error
	// Flush makes every appended record readable.
	Flush(ctx context.Context) error
	// Read calls fn with every record of chunk, in append order.
	Read(ctx context.Context, chunk int, fn func(rec []byte) error) error
}
