package data

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

// pagedStore serves n features in pages of limit, or misbehaves.
type pagedStore struct {
	Store   // only Query is implemented
	n       int
	stuck   bool // return the same cursor forever
	failAt  int  // page index (1-based) that fails; 0 = none
	queries int
}

var errBoom = errors.New("boom")

func (s *pagedStore) Query(_ context.Context, _ string, q Query) (Page, error) {
	s.queries++
	if s.queries == s.failAt {
		return Page{}, errBoom
	}
	start := 0
	if q.Cursor != "" {
		start, _ = strconv.Atoi(q.Cursor)
	}
	end := min(start+q.Limit, s.n)
	var p Page
	for i := start; i < end; i++ {
		p.Features = append(p.Features, Feature{Values: []any{int64(i)}})
	}
	if end < s.n {
		p.Next = strconv.Itoa(end)
		if s.stuck {
			p.Next = "3"
		}
	}
	return p, nil
}

func TestPages(t *testing.T) {
	count := func(s *pagedStore, q Query) (feats, pages int, err error) {
		for p, e := range Pages(context.Background(), s, "l", q) {
			if e != nil {
				return feats, pages, e
			}
			pages++
			feats += len(p.Features)
		}
		return feats, pages, nil
	}
	if f, p, err := count(&pagedStore{n: 25}, Query{Limit: 10}); f != 25 || p != 3 || err != nil {
		t.Errorf("25 by 10: %d features in %d pages, %v", f, p, err)
	}
	if f, p, err := count(&pagedStore{n: 25}, Query{Limit: 10, Cursor: "20"}); f != 5 || p != 1 || err != nil {
		t.Errorf("from cursor 20: %d features in %d pages, %v", f, p, err)
	}
	if f, p, err := count(&pagedStore{n: 0}, Query{Limit: 10}); f != 0 || p != 1 || err != nil {
		t.Errorf("empty: %d features in %d pages, %v", f, p, err)
	}
	if _, p, err := count(&pagedStore{n: 25, failAt: 2}, Query{Limit: 10}); !errors.Is(err, errBoom) || p != 1 {
		t.Errorf("failing page 2: %d pages, %v", p, err)
	}
	s := &pagedStore{n: 25, stuck: true}
	if _, _, err := count(s, Query{Limit: 10}); !errors.Is(err, ErrInvalidQuery) || s.queries != 2 {
		t.Errorf("stuck cursor: %v after %d queries", err, s.queries)
	}
	// Breaking out stops the queries.
	s = &pagedStore{n: 1000}
	for range Pages(context.Background(), s, "l", Query{Limit: 10}) {
		break
	}
	if s.queries != 1 {
		t.Errorf("break: %d queries", s.queries)
	}
}

func TestCheckWrite(t *testing.T) {
	layer := func(name string) LayerData {
		return LayerData{Layer: Layer{Name: name, GeomType: GeomPoint, SRID: SRIDLambert93, Key: "id",
			Columns: []Column{{Name: "id", Type: Integer}}}}
	}
	reserved := func(name string) bool { return name == "studies" }
	st, err := CheckWrite(Study{ID: "s1"}, []LayerData{layer("a"), layer("b")}, reserved)
	if err != nil || st.ID != "s1" {
		t.Fatalf("valid write: %v", err)
	}
	for name, ls := range map[string][]LayerData{
		"twice":    {layer("a"), layer("a")},
		"reserved": {layer("studies")},
		"invalid":  {layer("bad name")},
	} {
		if _, err := CheckWrite(Study{ID: "s1"}, ls, reserved); !errors.Is(err, ErrInvalidSchema) {
			t.Errorf("%s: %v, want ErrInvalidSchema", name, err)
		}
	}
}
