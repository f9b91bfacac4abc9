package gpkg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/internal/sqlq"
)

// Bulk feature insertion.
//
// The write is split over two goroutines (the machine has 2 cores): a
// producer runs the caller's feature iterator (which computes the row
// values, JSON included), normalises the values and encodes the geometry
// blobs into batches; the SQLite goroutine only binds and steps. Each batch
// goes into the feature table with multi-row INSERT
// statements (rowsPerStmt rows each), with fids assigned here rather than by
// SQLite (AUTOINCREMENT semantics kept: past the largest fid ever used).
// The R-tree is not filled row by row: it is bulk-loaded once the rows are
// written (rtree.go).

const (
	// rowsPerStmt is the number of rows per multi-row INSERT; a batch holds
	// batchStmts statements' worth of rows. 64 rows × 48 columns stay far
	// below SQLite's 32,766 bound parameters.
	rowsPerStmt = 64
	batchStmts  = 4
	batchRows   = rowsPerStmt * batchStmts
	// maxParams is SQLITE_MAX_VARIABLE_NUMBER's default since 3.32.
	maxParams = 32766
)

// batch is a run of prepared rows: args holds width values per row (fid,
// geom, study_id, then the layer columns).
type batch struct {
	n      int
	args   []any
	keys   []any  // key value of each row, for error messages
	arena  []byte // geometry blobs (the driver copies them at bind time)
	err    error  // set on the last batch when the producer failed
	panicV any    // a panic of the feature source, re-raised by the writer
}

// bulkInserter writes one layer's features through the driver connection
// (tx.go: binding through database/sql allocated a []driver.NamedValue per
// statement; nv is reused instead).
type bulkInserter struct {
	conn    driver.Conn // the transaction's driver connection, inside sql.Conn.Raw
	layer   data.Layer
	width   int                 // values per row
	ins     map[int]driver.Stmt // rows → INSERT into the feature table
	nv      []driver.NamedValue // reused statement arguments
	nextFid int64               // fid of the next row
	perStmt int                 // rows per statement (bounded by maxParams)
	table   string              // quoted feature table
	cols    string              // column list of the INSERT
}

func insertFeatures(ctx context.Context, tx *sql.Conn, studyID string, ld data.LayerData) error {
	if ld.Features == nil {
		return nil
	}
	l := ld.Layer
	bi := &bulkInserter{layer: l, width: len(l.Columns) + 3,
		ins: map[int]driver.Stmt{}, table: sqlq.Quote(l.Name),
		cols: "fid, geom, study_id, " + sqlq.Columns(l)}
	bi.perStmt = min(rowsPerStmt, maxParams/bi.width)
	// AUTOINCREMENT semantics: never reuse a fid, even of a deleted row.
	var maxFid, seq sql.NullInt64
	if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT max(fid) FROM %s`, bi.table)).Scan(&maxFid); err != nil {
		return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT max(seq) FROM sqlite_sequence WHERE name = ?`, l.Name).Scan(&seq); err != nil {
		return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
	}
	bi.nextFid = max(maxFid.Int64, seq.Int64) + 1

	// The producer runs in an errgroup.Group (the worker-pool primitive used
	// across data and geo); its errors and panics travel in the batches, so
	// that the writer reports them in row order.
	pctx, cancel := context.WithCancel(ctx)
	out := make(chan *batch, 2)
	free := make(chan *batch, 3)
	var g errgroup.Group
	g.Go(func() error {
		defer close(out)
		produce(pctx, l, studyID, bi.width, ld.Features, out, free)
		return nil
	})
	// On every return path: stop the producer and wait for it, so that the
	// caller's iterator is no longer running when insertFeatures returns.
	defer func() {
		cancel()
		for range out {
		}
		_ = g.Wait() // produce reports through the batches, never here
	}()
	// Only the driver connection may be used inside Raw (the sql.Conn is
	// locked meanwhile).
	return tx.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("gpkg: driver connection %T", dc)
		}
		bi.conn = conn
		defer bi.close()
		for b := range out {
			if b.panicV != nil {
				panic(b.panicV)
			}
			if b.n > 0 {
				if err := bi.write(ctx, b); err != nil {
					return err
				}
			}
			if b.err != nil {
				return b.err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			select {
			case free <- b:
			default:
			}
		}
		return ctx.Err()
	})
}

// produce runs the feature source and sends prepared batches on out.
func produce(ctx context.Context, l data.Layer, studyID string, width int, features func(func(data.Feature, error) bool), out chan<- *batch, free chan *batch) {
	keyIdx := l.Index(l.Key)
	enc := newEncoder()
	newBatch := func() *batch {
		select {
		case b := <-free:
			b.n, b.arena = 0, b.arena[:0]
			clear(b.args)
			return b
		default:
			return &batch{args: make([]any, batchRows*width), keys: make([]any, batchRows)}
		}
	}
	b := newBatch()
	send := func() bool {
		select {
		case out <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	defer func() {
		if p := recover(); p != nil {
			b.panicV = p
			out <- b // the writer is waiting for batches until out is closed
		}
	}()
	for f, ferr := range features {
		if ferr != nil {
			b.err = fmt.Errorf("gpkg: layer %s: feature source: %w", l.Name, ferr)
			send()
			return
		}
		f, err := data.PrepareFeature(l, keyIdx, f)
		if err == nil {
			err = b.add(f, keyIdx, studyID, width, enc, l)
		}
		if err != nil {
			b.err = err
			send()
			return
		}
		if b.n == batchRows {
			if !send() {
				return
			}
			b = newBatch()
		}
	}
	if ctx.Err() == nil {
		send()
	}
}

// add appends one prepared feature to the batch, copying everything it
// references (the source may reuse its buffers after yield returns).
func (b *batch) add(f data.Feature, keyIdx int, studyID string, width int, enc *encoder, l data.Layer) error {
	blob, _, err := enc.encode(f.Geom, l.SRID)
	if err != nil {
		return fmt.Errorf("gpkg: layer %s feature %v: %w", l.Name, f.Values[keyIdx], err)
	}
	start := len(b.arena)
	b.arena = append(b.arena, blob...)
	row := b.args[b.n*width : (b.n+1)*width]
	row[1] = b.arena[start:len(b.arena):len(b.arena)]
	row[2] = studyID
	for i, v := range f.Values {
		if r, ok := v.(json.RawMessage); ok {
			v = string(r)
		}
		row[i+3] = v
	}
	b.keys[b.n] = f.Values[keyIdx]
	b.n++
	return nil
}

// stmt returns the (cached) multi-row INSERT of n rows.
func (bi *bulkInserter) stmt(ctx context.Context, n int) (driver.Stmt, error) {
	if st, ok := bi.ins[n]; ok {
		return st, nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", bi.width), ", ") + ")"
	q := fmt.Sprintf(`INSERT INTO %s (%s) VALUES %s`, bi.table, bi.cols, strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
	prep, ok := bi.conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("gpkg: driver connection %T cannot prepare with a context", bi.conn)
	}
	st, err := prep.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("gpkg: layer %s: %w", bi.layer.Name, err)
	}
	if _, ok := st.(driver.StmtExecContext); !ok {
		st.Close()
		return nil, fmt.Errorf("gpkg: driver statement %T cannot execute with a context", st)
	}
	bi.ins[n] = st
	return st, nil
}

// exec runs st with args (driver values: int64, float64, string, []byte or
// nil, as data.PrepareFeature and batch.add make them).
func (bi *bulkInserter) exec(ctx context.Context, st driver.Stmt, args []any) error {
	if cap(bi.nv) < len(args) {
		bi.nv = make([]driver.NamedValue, len(args))
	}
	nv := bi.nv[:len(args)]
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	_, err := st.(driver.StmtExecContext).ExecContext(ctx, nv)
	clear(nv) // keep no reference to the batch's values
	return err
}

// write inserts a batch of feature rows (the R-tree is rebuilt at the end,
// see rtree.go).
func (bi *bulkInserter) write(ctx context.Context, b *batch) error {
	for i := 0; i < b.n; i++ {
		b.args[i*bi.width] = bi.nextFid + int64(i)
	}
	for lo := 0; lo < b.n; lo += bi.perStmt {
		hi := min(lo+bi.perStmt, b.n)
		st, err := bi.stmt(ctx, hi-lo)
		if err != nil {
			return err
		}
		if err := bi.exec(ctx, st, b.args[lo*bi.width:hi*bi.width]); err != nil {
			return bi.culprit(ctx, b, lo, hi, err)
		}
	}
	bi.nextFid += int64(b.n)
	return nil
}

// culprit re-runs rows lo..hi one by one after a multi-row INSERT failed
// (SQLite undid the whole statement) to name the failing feature, e.g. a
// duplicate key (unique index on study_id, key).
func (bi *bulkInserter) culprit(ctx context.Context, b *batch, lo, hi int, batchErr error) error {
	l := bi.layer
	if ctx.Err() != nil {
		return ctx.Err()
	}
	st, err := bi.stmt(ctx, 1)
	if err != nil {
		return err
	}
	for i := lo; i < hi; i++ {
		if err := bi.exec(ctx, st, b.args[i*bi.width:(i+1)*bi.width]); err != nil {
			return fmt.Errorf("%w: layer %s feature %v: %w", data.ErrInvalidValue, l.Name, b.keys[i], err)
		}
	}
	return fmt.Errorf("%w: layer %s features %v..%v: %w", data.ErrInvalidValue, l.Name, b.keys[lo], b.keys[hi-1], batchErr)
}

func (bi *bulkInserter) close() {
	for _, st := range bi.ins {
		st.Close()
	}
}
