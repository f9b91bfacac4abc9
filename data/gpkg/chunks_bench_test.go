package gpkg

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
)

// Chunked-write benchmark fixtures: SYNTHETIC layers shaped like a
// streaming study's chunk (model/study writes per chunk of 5,000 buildings
// about 5,800 parcels of 55 columns, 5,000 buildings of 48 columns and
// 7,700 roof planes of 21 columns, keyed by ids unrelated to the chunk
// order: BD TOPO / cadastre ids of a spatial tile). Not real data.

// benchChunkLayer is a layer with a text key, a text column, a JSON column
// and nReal real columns.
func benchChunkLayer(name, key string, nReal int) data.Layer {
	l := data.Layer{Name: name, Title: name, Description: "SYNTHETIC benchmark layer", GeomType: data.GeomMultiPolygon,
		SRID: data.SRIDLambert93, Key: key,
		Columns: []data.Column{{Name: key, Type: data.Text}, {Name: "label", Type: data.Text}, {Name: "details", Type: data.JSON}}}
	for i := range nReal {
		l.Columns = append(l.Columns, data.Column{Name: "v" + strconv.Itoa(i), Type: data.Real, Unit: "kWh/yr"})
	}
	return l
}

var benchChunkLayers = []struct {
	layer data.Layer
	rows  int // per chunk
}{
	{benchChunkLayer("parcels", "parcel_id", 52), 5_800},
	{benchChunkLayer("buildings", "building_id", 45), 5_000},
	{benchChunkLayer("roof_planes", "plane_id", 18), 7_700},
}

// benchChunk returns chunk k's layers (fixed seed per chunk: a retried
// chunk gets the same rows).
func benchChunk(k int) ([]data.LayerData, int) {
	var out []data.LayerData
	total := 0
	for li, bl := range benchChunkLayers {
		l, n := bl.layer, bl.rows
		total += n
		seed := uint64(k)*8 + uint64(li)
		out = append(out, data.LayerData{Layer: l, Features: func(yield func(data.Feature, error) bool) {
			r := rand.New(rand.NewPCG(seed, 7))
			// The chunk's tile: chunks are laid out on a 16-wide grid of
			// 3 km squares (Lambert-93 near Périgueux).
			x0, y0 := 518000+float64(k%16)*3000, 6455500+float64(k/16)*3000
			vals := make([]any, len(l.Columns))
			for i := range n {
				x, y, s := x0+r.Float64()*3000, y0+r.Float64()*3000, 5+r.Float64()*15
				mp := orb.MultiPolygon{{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}}
				// Ids in no relation to the write order, as real ids are.
				vals[0] = fmt.Sprintf("%s%016d/t%d", l.Key[:3], r.Uint64()%1e16, k)
				vals[1] = "label" + strconv.Itoa(r.IntN(6))
				vals[2] = nil
				if i%3 == 0 {
					vals[2] = `{"tags":["x","y"],"n":` + strconv.Itoa(i) + `}`
				}
				for c := 3; c < len(vals); c++ {
					if r.IntN(10) == 0 {
						vals[c] = nil // "not computed"
					} else {
						vals[c] = r.Float64() * 1e4
					}
				}
				if !yield(data.Feature{Geom: mp, Values: vals}, nil) {
					return
				}
			}
		}})
	}
	return out, total
}

// BenchmarkWriteChunks writes a streaming study of n chunks (≈18,500 rows
// each) to a fresh GeoPackage: BeginStudy, n WriteChunk, FinishStudy. It
// reports the write cost per row over all chunks (ns/row), over the first
// and the last fifth of the chunks (ns/row-first, ns/row-last: equal when
// the cost is linear), the same in CPU time of the process (user + system,
// cpu-ns/row*: the feature source's work is included, as in a study), the
// bytes written to files per row (wbytes/row*, Linux: database, journals;
// independent of the machine's load) and the FinishStudy wall time per row
// (finish-ns/row).
// GISEMENT_BENCH_CHUNKS (comma-separated) replaces the default sizes.
func BenchmarkWriteChunks(b *testing.B) {
	sizes := []int{20, 80}
	if v := os.Getenv("GISEMENT_BENCH_CHUNKS"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(f)
			if err != nil {
				b.Fatal(err)
			}
			sizes = append(sizes, n)
		}
	}
	ctx := context.Background()
	for _, n := range sizes {
		b.Run(fmt.Sprintf("chunks=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			var rows, rowsFirst, rowsLast int
			var write, first, last, finish time.Duration
			var cpu, cpuFirst, cpuLast time.Duration
			var wr, wrFirst, wrLast int64
			for it := 0; it < b.N; it++ {
				s, err := Open(filepath.Join(dir, fmt.Sprintf("c%d.gpkg", it)))
				if err != nil {
					b.Fatal(err)
				}
				st := data.Study{ID: "stream-bench-0123456789abcdef", Name: "bench", CreatedAt: time.Unix(0, 0)}
				if err := s.BeginStudy(ctx, st, n); err != nil {
					b.Fatal(err)
				}
				fifth := max(1, n/5)
				for k := range n {
					layers, m := benchChunk(k)
					t0, c0, w0 := time.Now(), cpuTime(), writtenBytes()
					if err := s.WriteChunk(ctx, st.ID, k, []byte(`{"chunk":`+strconv.Itoa(k)+`}`), layers); err != nil {
						b.Fatal(err)
					}
					d, c, w := time.Since(t0), cpuTime()-c0, writtenBytes()-w0
					write += d
					cpu += c
					wr += w
					rows += m
					if k < fifth {
						first += d
						cpuFirst += c
						wrFirst += w
						rowsFirst += m
					}
					if k >= n-fifth {
						last += d
						cpuLast += c
						wrLast += w
						rowsLast += m
					}
				}
				t0 := time.Now()
				if err := s.FinishStudy(ctx, st, nil); err != nil {
					b.Fatal(err)
				}
				finish += time.Since(t0)
				s.Close()
				os.Remove(s.Path())
			}
			b.ReportMetric(float64(write.Nanoseconds())/float64(rows), "ns/row")
			b.ReportMetric(float64(first.Nanoseconds())/float64(rowsFirst), "ns/row-first")
			b.ReportMetric(float64(last.Nanoseconds())/float64(rowsLast), "ns/row-last")
			b.ReportMetric(float64(finish.Nanoseconds())/float64(rows), "finish-ns/row")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(rows), "cpu-ns/row")
			b.ReportMetric(float64(cpuFirst.Nanoseconds())/float64(rowsFirst), "cpu-ns/row-first")
			b.ReportMetric(float64(cpuLast.Nanoseconds())/float64(rowsLast), "cpu-ns/row-last")
			b.ReportMetric(float64(wr)/float64(rows), "wbytes/row")
			b.ReportMetric(float64(wrFirst)/float64(rowsFirst), "wbytes/row-first")
			b.ReportMetric(float64(wrLast)/float64(rowsLast), "wbytes/row-last")
		})
	}
}
