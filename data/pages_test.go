package data_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gisement/gisement/data"
)

// pagedStore serves n features in pages of q.Limit, failing at page fail
// (-1: never).
type pagedStore struct {
	data.Store
	n, fail, calls int
}

func (s *pagedStore) Query(_ context.Context, _ string, q data.Query) (data.Page, error) {
	s.calls++
	if s.calls-1 == s.fail {
		return data.Page{}, errors.New("boom")
	}
	start := 0
	if q.Cursor != "" {
		start = int(q.Cursor[0])
	}
	var p data.Page
	for i := start; i < s.n && i < start+q.Limit; i++ {
		p.Features = append(p.Features, data.Feature{Values: []any{int64(i)}})
	}
	if end := start + q.Limit; end < s.n {
		p.Next = string(rune(end))
	}
	return p, nil
}

func TestPages(t *testing.T) {
	s := &pagedStore{n: 25, fail: -1}
	var got []int64
	for p, err := range data.Pages(context.Background(), s, "l", data.Query{Limit: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p.Features {
			got = append(got, f.Values[0].(int64))
		}
	}
	if len(got) != 25 || got[24] != 24 || s.calls != 3 {
		t.Fatalf("%d features in %d queries, want 25 in 3", len(got), s.calls)
	}
	// Stopping early issues no further query.
	s = &pagedStore{n: 25, fail: -1}
	for range data.Pages(context.Background(), s, "l", data.Query{Limit: 10}) {
		break
	}
	if s.calls != 1 {
		t.Errorf("%d queries after a break, want 1", s.calls)
	}
	// An error is yielded once and ends the sequence.
	s = &pagedStore{n: 25, fail: 1}
	var errs, pages int
	for _, err := range data.Pages(context.Background(), s, "l", data.Query{Limit: 10}) {
		if err != nil {
			errs++
		} else {
			pages++
		}
	}
	if errs != 1 || pages != 1 {
		t.Errorf("%d pages and %d errors, want 1 and 1", pages, errs)
	}
}
