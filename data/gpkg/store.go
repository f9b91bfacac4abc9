// Package gpkg is the GeoPackage 1.3 implementation of data.Store: one
// SQLite file (pure Go, modernc.org/sqlite) readable by QGIS and GDAL.
//
// Layout: one feature table per layer (fid, geom as GeoPackageBinary in the
// layer SRID, study_id, then the layer's columns), each with the GeoPackage
// R-tree spatial index (rtree_<layer>_geom + standard triggers) and a unique
// index on (study_id, key); a "studies" attributes table; column units and
// descriptions in gpkg_data_columns (schema extension); the layer schemas as
// JSON in gisement_layers.
//
// Writes are atomic: the new content is built in "<path>.tmp-<pid>" (a copy
// of the current file, if any, with journal and fsync off), then renamed over
// path. Readers use a read-only connection pool on the renamed file.
package gpkg

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/gisement/gisement/data"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Store is a GeoPackage-backed data.Store.
type Store struct {
	path string
	wmu  sync.Mutex   // one writer at a time
	mu   sync.RWMutex // guards db (swapped after each write)
	db   *sql.DB      // read-only; nil while the file does not exist
}

var _ data.Store = (*Store)(nil)

// ErrNotGeoPackage is returned by Open for a file that is not a GeoPackage.
var ErrNotGeoPackage = errors.New("gpkg: not a GeoPackage (application_id is not 'GPKG')")

// Open opens the GeoPackage at path for reading and writing studies. The
// file need not exist yet: it is created by the first WriteStudy.
func Open(path string) (*Store, error) {
	registerFuncs()
	s := &Store{path: path}
	if _, err := os.Stat(path); err == nil {
		if err := s.reopen(); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("gpkg: %w", err)
	}
	return s, nil
}

// OpenExisting is Open but fails with an error wrapping os.ErrNotExist when
// the file is absent (for readers such as the export command).
func OpenExisting(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("gpkg: %w", err)
	}
	return Open(path)
}

func openRO(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("gpkg: open %s: %w", path, err)
	}
	var app int64
	if err := db.QueryRow(`PRAGMA application_id`).Scan(&app); err != nil {
		db.Close()
		return nil, fmt.Errorf("gpkg: read %s: %w", path, err)
	}
	if app != applicationID {
		db.Close()
		return nil, fmt.Errorf("%w: %s", ErrNotGeoPackage, path)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name IN ('studies', 'gisement_layers')`).Scan(&n); err != nil || n != 2 {
		db.Close()
		return nil, fmt.Errorf("%w: %s has no gisement studies/gisement_layers tables", ErrNotGeoPackage, path)
	}
	return db, nil
}

func (s *Store) reopen() error {
	db, err := openRO(s.path)
	if err != nil {
		return err
	}
	s.mu.Lock()
	old := s.db
	s.db = db
	s.mu.Unlock()
	if old != nil {
		old.Close()
	}
	return nil
}

// withDB runs fn with the current read pool under the read lock (so a
// concurrent write cannot close it mid-query). It returns data.ErrNotFound
// when the file does not exist yet.
func (s *Store) withDB(fn func(db *sql.DB) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return fmt.Errorf("%w: %s holds no study yet", data.ErrNotFound, s.path)
	}
	return fn(s.db)
}

// Path returns the file path.
func (s *Store) Path() string { return s.path }

// Close closes the read pool.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}
