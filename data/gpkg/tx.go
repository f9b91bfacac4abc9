package gpkg

import (
	"context"
	"database/sql"
	"fmt"
)

// Write transactions are explicit BEGIN ... COMMIT on a dedicated
// *sql.Conn rather than a *sql.Tx, so that the bulk insert (bulk.go) can
// reach the driver connection (sql.Conn.Raw, which a Tx does not offer)
// and bind its rows without database/sql's per-Exec argument conversion:
// measured with BenchmarkWriteChunks, that conversion allocated a
// []driver.NamedValue per statement, 43 % of all bytes allocated by a
// chunked write. The transaction semantics are SQLite's own (a deferred
// transaction, as database/sql's BeginTx with this driver).

// begin opens a connection of db and starts a transaction on it. The
// caller defers release and calls commit last: release rolls back unless
// commit succeeded (an error or a panic in between leaves nothing
// committed) and gives the connection back.
func begin(ctx context.Context, db *sql.DB) (tx *sql.Conn, commit func() error, release func(), err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("gpkg: begin: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		conn.Close()
		return nil, nil, nil, fmt.Errorf("gpkg: begin: %w", err)
	}
	committed := false
	commit = func() error {
		if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
			return fmt.Errorf("gpkg: commit: %w", err)
		}
		committed = true
		return nil
	}
	release = func() {
		if !committed {
			// An error inside the transaction may already have ended it
			// (e.g. an interrupted statement): a ROLLBACK error is expected then.
			_, _ = conn.ExecContext(context.Background(), `ROLLBACK`)
		}
		conn.Close()
	}
	return conn, commit, release, nil
}
