package postgis

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
	"github.com/jackc/pgx/v5"
)

// TestStage: records come back per chunk in append order, across COPY
// batches; NewStage replaces a stage of the same name; Drop removes it.
func TestStage(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	st, err := s.NewStage(ctx, "st'1")
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, StageBatchBytes/3) // forces COPY batches mid-way
	want := map[int][]string{}
	for i := range 40 {
		c := i % 3
		rec := fmt.Appendf(nil, "rec-%d", i)
		if i%13 == 0 {
			rec = append(rec, big...)
		}
		want[c] = append(want[c], string(rec))
		if err := st.Append(ctx, c, rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	r := s.OpenStage("st'1")
	for c := range 4 {
		var got []string
		if err := r.Read(ctx, c, func(rec []byte) error { got = append(got, string(rec)); return nil }); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want[c]) {
			t.Errorf("chunk %d: %d records, want %d in append order", c, len(got), len(want[c]))
		}
	}
	if st, err = s.NewStage(ctx, "st'1"); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := st.Read(ctx, 0, func([]byte) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("replaced stage: %d records, %v; want 0", n, err)
	}
	if err := st.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Read(ctx, 0, func([]byte) error { return nil }); err != nil {
		t.Errorf("read of a dropped stage: %v (want no records, no error)", err)
	}
}

// TestPartitionedByStudy: every study has its own partition of every layer,
// reused when the study is replaced.
func TestPartitionedByStudy(t *testing.T) {
	s, url := openTest(t, Options{})
	ctx := context.Background()
	for _, id := range []string{"a", "b", "a"} {
		_, _, layers := storetest.Input()
		if err := s.WriteStudy(ctx, storetest.Study(id, time.Unix(1e9, 0)), layers); err != nil {
			t.Fatal(err)
		}
	}
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var parts, rows int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_inherits WHERE inhparent = 'buildings'::regclass`).Scan(&parts); err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRow(ctx, `SELECT count(*) FROM `+partitionName("buildings", "a")).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if parts != 2 || rows != storetest.NBuildings {
		t.Errorf("buildings: %d partitions (want 2: one per study), partition of a: %d rows (want %d)", parts, rows, storetest.NBuildings)
	}
	var st data.Study
	if st, err = s.Study(ctx, "b"); err != nil || st.Counts["buildings"] != storetest.NBuildings {
		t.Errorf("study b: %v %v", st.Counts, err)
	}
}

// TestWriteDoesNotBlockReaders: while a study is being copied (its feature
// source paused mid-COPY), queries of another study and the creation of a
// third study's partitions do not wait for it.
func TestWriteDoesNotBlockReaders(t *testing.T) {
	s, _ := openTest(t, Options{MaxConns: 6})
	ctx := context.Background()
	_, _, layers := storetest.Input()
	if err := s.WriteStudy(ctx, storetest.Study("a", time.Unix(1e9, 0)), layers); err != nil {
		t.Fatal(err)
	}
	bld := storetest.Buildings(50, 3)
	pause, resume := make(chan struct{}), make(chan struct{})
	slow := func(yield func(data.Feature, error) bool) {
		for i, f := range bld {
			if i == 25 {
				close(pause)
				<-resume
			}
			if !yield(f, nil) {
				return
			}
		}
	}
	done := make(chan error, 1)
	go func() {
		done <- s.WriteStudy(ctx, storetest.Study("b", time.Unix(2e9, 0)), []data.LayerData{{Layer: storetest.BuildingsLayer, Features: slow}})
	}()
	<-pause
	qctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	p, err := s.Query(qctx, "buildings", data.Query{Study: "a", Limit: 10})
	cancel()
	if err != nil || len(p.Features) != 10 {
		t.Errorf("query of study a during the write of b: %d features, %v (blocked?)", len(p.Features), err)
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, err := s.Study(ctx, "b"); err != nil || st.Counts["buildings"] != 50 {
		t.Errorf("study b: %v %v", st.Counts, err)
	}
}
