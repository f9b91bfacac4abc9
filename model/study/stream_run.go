package study

import (
	"context"
	"encoding/json"
	"errors"
	"iter"

	"github.com/gisement/gisement/data"
)

var errNotYet = errors.New("streaming study: not implemented yet")

func planStudy(ctx context.Context, o Options, so StreamOptions) (*Plan, error) {
	return nil, errNotYet
}
func runChunk(ctx context.Context, o Options, p *Plan, chunk int, st ChunkStage) (json.RawMessage, []data.LayerData, error) {
	return nil, nil, errNotYet
}
func finishStudy(ctx context.Context, o Options, p *Plan, partials iter.Seq2[data.ChunkPartial, error]) (data.Study, []data.LayerData, error) {
	return data.Study{}, nil, errNotYet
}
func runStream(ctx context.Context, o Options, so StreamOptions, store data.ChunkStore) (*Plan, error) {
	return nil, errNotYet
}
