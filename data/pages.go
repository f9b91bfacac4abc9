package data

import (
	"context"
	"iter"
)

// Pages runs q on a layer of s page after page, following the keyset
// cursor from q.Cursor, and yields each page (q.Limit rows at most; use
// MaxLimit to read a whole layer in the fewest queries). Memory is bounded
// by one page. An error is yielded once and ends the sequence; the caller
// may stop early (e.g. a vector tile's feature budget).
func Pages(ctx context.Context, s Store, layer string, q Query) iter.Seq2[Page, error] {
	return func(yield func(Page, error) bool) {
		for {
			p, err := s.Query(ctx, layer, q)
			if err != nil {
				yield(p, err)
				return
			}
			if !yield(p, nil) || p.Next == "" {
				return
			}
			q.Cursor = p.Next
		}
	}
}
