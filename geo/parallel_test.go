package geo

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
)

func TestForChunks(t *testing.T) {
	for _, c := range []struct{ n, chunk, workers int }{{0, 4, 2}, {1, 4, 2}, {10, 3, 1}, {1000, 7, 3}, {513, 512, 0}} {
		seen := make([]int32, c.n)
		var active, peak atomic.Int32
		err := forChunks(context.Background(), c.n, c.chunk, c.workers, func(lo, hi int) error {
			a := active.Add(1)
			for p := peak.Load(); a > p && !peak.CompareAndSwap(p, a); p = peak.Load() {
			}
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
			active.Add(-1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range seen {
			if s != 1 {
				t.Fatalf("%+v: index %d visited %d times", c, i, s)
			}
		}
		if c.workers > 0 && int(peak.Load()) > c.workers {
			t.Errorf("%+v: %d chunks at once, limit %d", c, peak.Load(), c.workers)
		}
	}
	// An error stops the scheduling and is returned.
	boom := errors.New("boom")
	var calls atomic.Int32
	err := forChunks(context.Background(), 1000, 1, 1, func(lo, hi int) error {
		calls.Add(1)
		if lo == 5 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls.Load() > 7 {
		t.Errorf("err %v after %d calls", err, calls.Load())
	}
}

// synthTerritory is a SYNTHETIC grid of n×n pitched buildings of varied
// heights, one 20 m parcel each.
func synthTerritory(n int) *Territory {
	t := &Territory{}
	for i := range n {
		for j := range n {
			cx, cy := x0+float64(i)*20+10, y0+float64(j)*20+10
			b := synthBuilding(fmt.Sprintf("b%d_%d", i, j), rectFootprint(cx, cy, 12, 8, float64((i*7+j*3)%180)), 4+float64((i+2*j)%9))
			t.Buildings = append(t.Buildings, b)
			t.Parcels = append(t.Parcels, Parcel{Geometry: orb.MultiPolygon{{{
				{cx - 10, cy - 10}, {cx + 10, cy - 10}, {cx + 10, cy + 10}, {cx - 10, cy + 10}, {cx - 10, cy - 10}}}}})
		}
	}
	return t
}

// TestBuildWorkersAndCancel: the planes, horizons and assignment do not
// depend on the number of workers, and a cancelled context stops the work.
func TestBuildWorkersAndCancel(t *testing.T) {
	var ref *Territory
	for _, w := range []int{1, 3} {
		tr := synthTerritory(40)
		if err := tr.BuildContext(context.Background(), nil, nil, false, w); err != nil {
			t.Fatal(err)
		}
		if len(tr.Planes) < 1600 || tr.Assignment.Assigned != 1600 {
			t.Fatalf("workers %d: %d planes, %d assigned", w, len(tr.Planes), tr.Assignment.Assigned)
		}
		if ref == nil {
			ref = tr
			continue
		}
		if !reflect.DeepEqual(tr.Planes, ref.Planes) || !reflect.DeepEqual(tr.Assignment, ref.Assignment) {
			t.Errorf("workers %d: results differ from workers 1", w)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr := synthTerritory(10)
	if err := tr.BuildContext(ctx, nil, nil, false, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := AssignBuildingsContext(ctx, tr.Buildings, tr.Parcels, IndexParcels(tr.Parcels), 2); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled assignment: %v", err)
	}
}
