package gpkg

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gisement/gisement/data/internal/sqlq"
)

// R-tree bulk loading.
//
// Inserting features one by one into the SQLite R-tree module (what the
// GeoPackage triggers do) costs a ChooseLeaf descent, node splits and a
// rewrite of each touched 1.2 kB node blob per row: measured, it was half
// of the whole GeoPackage write. Instead, after a write, each layer's
// R-tree is rebuilt in one pass: the envelopes of all rows are read from
// the feature table, packed bottom-up with Sort-Tile-Recursive (Leutenegger,
// Edgington & Lopez, "STR: a simple and efficient algorithm for R-tree
// packing", ICDE 1997) into full nodes, and the nodes written straight into
// the R-tree's shadow tables (<name>_node, <name>_rowid, <name>_parent) in
// the on-disk format of SQLite's rtree.c: a node blob is a big-endian
// uint16 depth (meaningful in the root, node 1), a uint16 cell count, then
// cells of a big-endian int64 id (rowid in leaves, child node number
// otherwise) and four big-endian float32 (minx, maxx, miny, maxy), min
// rounded down and max rounded up. GDAL does the same when it builds a
// GeoPackage spatial index (ogr/ogrsf_frmts/sqlite/ogr_sqlite_rtree_bulk_loader.c).
// No Go library writes this format; it is hand-written here, and the tests
// check the result with SQLite's own rtreecheck() and with ogrinfo.

// rtEntry is one cell: an id and its float32 box.
type rtEntry struct {
	id                     int64
	minx, maxx, miny, maxy float32
}

// roundDown32 returns the largest float32 <= v (rtree.c rtreeValueDown).
func roundDown32(v float64) float32 {
	f := float32(v)
	if float64(f) > v {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

// roundUp32 returns the smallest float32 >= v (rtree.c rtreeValueUp).
func roundUp32(v float64) float32 {
	f := float32(v)
	if float64(f) < v {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// rebuildRTree empties the R-tree of layer and refills it from the
// envelopes of the layer's geometries (NULL and empty geometries are left
// out, as the GeoPackage triggers do). It returns the layer's exact extent
// (ok false when the layer has no indexed geometry).
func rebuildRTree(ctx context.Context, tx *sql.Conn, layer string) (minx, miny, maxx, maxy float64, ok bool, err error) {
	rtName := rtreeName(layer)
	rt := sqlq.Quote(rtName)
	for _, q := range []string{
		fmt.Sprintf(`DROP TABLE IF EXISTS %s`, rt),
		fmt.Sprintf(`CREATE VIRTUAL TABLE %s USING rtree(id, minx, maxx, miny, maxy)`, rt),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: %w", layer, err)
		}
	}
	var nodeSize int
	if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT length(data) FROM %s WHERE nodeno = 1`, sqlq.Quote(rtName+"_node"))).Scan(&nodeSize); err != nil {
		return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: node size: %w", layer, err)
	}
	maxCells := (nodeSize - 4) / 24
	if maxCells < 4 {
		return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: node size %d too small", layer, nodeSize)
	}

	// Sized once from the fid range (an upper bound on the row count, read
	// from the primary key in O(log n)): appending 2 M entries would
	// otherwise hold about twice that at the last growth (issue 16:
	// memory at the end of a streamed study).
	var lo, hi sql.NullInt64
	if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT min(fid), max(fid) FROM %s`, sqlq.Quote(layer))).Scan(&lo, &hi); err != nil {
		return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: %w", layer, err)
	}
	var entries []rtEntry
	if lo.Valid && hi.Valid && hi.Int64 >= lo.Int64 {
		entries = make([]rtEntry, 0, hi.Int64-lo.Int64+1)
	}
	// Envelopes in fid order.
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT fid, geom FROM %s WHERE geom IS NOT NULL ORDER BY fid`, sqlq.Quote(layer)))
	if err != nil {
		return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: %w", layer, err)
	}
	minx, miny, maxx, maxy = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	var blob sql.RawBytes
	for rows.Next() {
		var fid int64
		if err := rows.Scan(&fid, &blob); err != nil {
			rows.Close()
			return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: %w", layer, err)
		}
		b, empty, err := blobBound(blob)
		if err != nil {
			rows.Close()
			return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: feature %d: %w", layer, fid, err)
		}
		if empty {
			continue
		}
		minx, miny = math.Min(minx, b.Min[0]), math.Min(miny, b.Min[1])
		maxx, maxy = math.Max(maxx, b.Max[0]), math.Max(maxy, b.Max[1])
		entries = append(entries, rtEntry{id: fid, minx: roundDown32(b.Min[0]), maxx: roundUp32(b.Max[0]), miny: roundDown32(b.Min[1]), maxy: roundUp32(b.Max[1])})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: %w", layer, err)
	}
	if len(entries) == 0 {
		return 0, 0, 0, 0, false, nil
	}
	w := &shadowWriter{tx: tx, name: rtName}
	defer w.close()
	if err := packRTree(ctx, entries, maxCells, nodeSize, w); err != nil {
		return 0, 0, 0, 0, false, fmt.Errorf("gpkg: r-tree of %s: %w", layer, err)
	}
	return minx, miny, maxx, maxy, true, nil
}

// packRTree packs the leaf entries with STR, level by level, and hands the
// nodes to w. The root is node 1; other nodes are numbered from 2.
func packRTree(ctx context.Context, entries []rtEntry, maxCells, nodeSize int, w *shadowWriter) error {
	type rowLeaf struct{ id, node int64 }
	leaves := make([]rowLeaf, 0, len(entries)) // leaf node of each rowid
	level := entries
	depth := 0
	next := int64(2)
	buf := make([]byte, nodeSize)
	for {
		groups := strGroups(level, maxCells)
		root := len(groups) == 1
		boxes := make([]rtEntry, 0, len(groups)) // the nodes of this level as cells of the next
		for _, g := range groups {
			cells := level[g.lo:g.hi]
			no := int64(1)
			if !root {
				no = next
				next++
			}
			clear(buf)
			binary.BigEndian.PutUint16(buf[0:], uint16(depth)) // only read in the root
			binary.BigEndian.PutUint16(buf[2:], uint16(len(cells)))
			box := rtEntry{id: no, minx: cells[0].minx, maxx: cells[0].maxx, miny: cells[0].miny, maxy: cells[0].maxy}
			for k, c := range cells {
				off := 4 + 24*k
				binary.BigEndian.PutUint64(buf[off:], uint64(c.id))
				binary.BigEndian.PutUint32(buf[off+8:], math.Float32bits(c.minx))
				binary.BigEndian.PutUint32(buf[off+12:], math.Float32bits(c.maxx))
				binary.BigEndian.PutUint32(buf[off+16:], math.Float32bits(c.miny))
				binary.BigEndian.PutUint32(buf[off+20:], math.Float32bits(c.maxy))
				box.minx, box.maxx = min(box.minx, c.minx), max(box.maxx, c.maxx)
				box.miny, box.maxy = min(box.miny, c.miny), max(box.maxy, c.maxy)
				if depth == 0 {
					leaves = append(leaves, rowLeaf{c.id, no})
				} else if err := w.parent(ctx, c.id, no); err != nil {
					return err
				}
			}
			if err := w.node(ctx, no, buf); err != nil {
				return err
			}
			boxes = append(boxes, box)
		}
		if depth == 0 {
			// _rowid rows in rowid order: appends to its b-tree.
			slices.SortFunc(leaves, func(a, b rowLeaf) int { return cmp.Compare(a.id, b.id) })
			for _, r := range leaves {
				if err := w.rowid(ctx, r.id, r.node); err != nil {
					return err
				}
			}
		}
		if root {
			return w.flush(ctx)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		level = boxes
		depth++
	}
}

type span struct{ lo, hi int }

// strGroups sorts level in place into Sort-Tile-Recursive order and returns
// the runs of at most maxCells entries that form the nodes of the level
// above: ceil(sqrt(P)) vertical slices by centre x, each sorted by centre y.
func strGroups(level []rtEntry, maxCells int) []span {
	n := len(level)
	nodes := (n + maxCells - 1) / maxCells
	if nodes <= 1 {
		return []span{{0, n}}
	}
	cx := func(e rtEntry) float64 { return float64(e.minx) + float64(e.maxx) }
	cy := func(e rtEntry) float64 { return float64(e.miny) + float64(e.maxy) }
	slices.SortFunc(level, func(a, b rtEntry) int { return cmp.Compare(cx(a), cx(b)) })
	perSlice := int(math.Ceil(math.Sqrt(float64(nodes)))) * maxCells
	var out []span
	for lo := 0; lo < n; lo += perSlice {
		hi := min(lo+perSlice, n)
		s := level[lo:hi]
		slices.SortFunc(s, func(a, b rtEntry) int { return cmp.Compare(cy(a), cy(b)) })
		for k := lo; k < hi; k += maxCells {
			out = append(out, span{k, min(k+maxCells, hi)})
		}
	}
	return out
}

// shadowWriter writes rows of the R-tree shadow tables with multi-row
// INSERTs.
type shadowWriter struct {
	tx    *sql.Conn
	name  string
	bufs  [3][]any // node, rowid, parent argument lists (pairs)
	stmts map[string]*sql.Stmt
}

const shadowRows = 200 // rows per multi-row INSERT into a shadow table

var shadowSuffix = [3]string{"_node", "_rowid", "_parent"}

func (w *shadowWriter) node(ctx context.Context, no int64, blob []byte) error {
	return w.add(ctx, 0, no, slices.Clone(blob))
}
func (w *shadowWriter) rowid(ctx context.Context, id, node int64) error {
	return w.add(ctx, 1, id, node)
}
func (w *shadowWriter) parent(ctx context.Context, node, parent int64) error {
	return w.add(ctx, 2, node, parent)
}

func (w *shadowWriter) add(ctx context.Context, t int, a, b any) error {
	w.bufs[t] = append(w.bufs[t], a, b)
	if len(w.bufs[t]) == 2*shadowRows {
		return w.exec(ctx, t)
	}
	return nil
}

func (w *shadowWriter) exec(ctx context.Context, t int) error {
	n := len(w.bufs[t]) / 2
	if n == 0 {
		return nil
	}
	verb := "INSERT"
	if t == 0 {
		verb = "INSERT OR REPLACE" // node 1 exists (empty root) after CREATE
	}
	q := fmt.Sprintf(`%s INTO %s VALUES %s`, verb, sqlq.Quote(w.name+shadowSuffix[t]), strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", "))
	if w.stmts == nil {
		w.stmts = map[string]*sql.Stmt{}
	}
	st, ok := w.stmts[q]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		w.stmts[q] = st
	}
	if _, err := st.ExecContext(ctx, w.bufs[t]...); err != nil {
		return fmt.Errorf("%s: %w", shadowSuffix[t], err)
	}
	w.bufs[t] = w.bufs[t][:0]
	return nil
}

func (w *shadowWriter) flush(ctx context.Context) error {
	for t := range w.bufs {
		if err := w.exec(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (w *shadowWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}
