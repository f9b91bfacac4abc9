package geo

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// forChunks calls fn(lo, hi) on the consecutive chunks [lo, hi) of [0, n),
// chunk indices each, on at most workers goroutines at a time (workers ≤ 0:
// GOMAXPROCS). It is the one worker pool of package geo: a
// golang.org/x/sync/errgroup Group bounded by SetLimit. Once ctx is done, or
// fn has returned an error, no new chunk starts; the first error (fn's, else
// ctx's) is returned after the running chunks end. fn must only touch
// indices in [lo, hi) of shared slices.
func forChunks(ctx context.Context, n, chunk, workers int, fn func(lo, hi int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for lo := 0; lo < n && gctx.Err() == nil; lo += chunk {
		g.Go(func() error { return fn(lo, min(lo+chunk, n)) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
