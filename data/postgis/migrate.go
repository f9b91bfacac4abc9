package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrations are applied in order, each once, recorded in
// schema_migrations. Append only: never edit a released migration.
var migrations = []string{
	1: `CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE studies (
  id text COLLATE "C" PRIMARY KEY,
  name text,
  scenario_hash text,
  scenario json,
  created_at timestamptz NOT NULL,
  summary json,
  inputs json
);
CREATE INDEX studies_created_at ON studies (created_at DESC, id DESC);
CREATE TABLE gisement_layers (
  name text COLLATE "C" PRIMARY KEY,
  schema json NOT NULL
);`,
	// 2: studies written chunk by chunk (data.ChunkStore) and partitioning
	// by study. A study row with complete = false is invisible to readers
	// until FinishStudy; chunks is its planned chunk count (NULL for a
	// study written at once). gisement_partitions records the LIST
	// partition of each (layer, study), so that replacing a study drops its
	// partitions instead of deleting its rows one by one.
	2: `ALTER TABLE studies ADD COLUMN complete boolean NOT NULL DEFAULT true, ADD COLUMN chunks integer;
CREATE TABLE gisement_partitions (
  parent text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  part text COLLATE "C" NOT NULL UNIQUE,
  PRIMARY KEY (parent, key)
);
CREATE INDEX gisement_partitions_key ON gisement_partitions (key);
CREATE TABLE gisement_chunks (
  study_id text COLLATE "C" NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  chunk integer NOT NULL,
  partial json NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, chunk)
);
CREATE TABLE gisement_stage (
  stage text COLLATE "C" NOT NULL,
  chunk integer NOT NULL,
  seq bigint NOT NULL,
  rec bytea NOT NULL,
  PRIMARY KEY (stage, chunk, seq)
) PARTITION BY LIST (stage);`,
}

// lockID serialises migrations and study writes across processes.
const lockID = 0x6769_7365 // "gise"

// Migrate applies the pending migrations (idempotent).
func migrate(ctx context.Context, c *pgx.Conn) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgis: migrate: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockID)); err != nil {
		return fmt.Errorf("postgis: migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgis: migrate: %w", err)
	}
	var cur int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("postgis: migrate: %w", err)
	}
	for v := cur + 1; v < len(migrations); v++ {
		if _, err := tx.Exec(ctx, migrations[v]); err != nil {
			return fmt.Errorf("postgis: migration %d: %w", v, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v); err != nil {
			return fmt.Errorf("postgis: migration %d: %w", v, err)
		}
	}
	return tx.Commit(ctx)
}
