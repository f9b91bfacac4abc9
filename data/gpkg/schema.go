package gpkg

import (
	"fmt"
	"strings"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/internal/sqlq"
)

const (
	applicationID = 0x47504B47 // 'GPKG'
	// userVersion 10300 = GeoPackage 1.3.0. GDAL 3.6 warns on 10400.
	userVersion = 10300
)

// wkt2154 is EPSG:2154 in OGC WKT 1 as printed by `gdalsrsinfo -o wkt1
// EPSG:2154` (GDAL 3.6.2, PROJ database).
const wkt2154 = `PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","6171"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4171"]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","2154"]]`

// wkt4326 is EPSG:4326 in OGC WKT 1 (gdalsrsinfo -o wkt1 EPSG:4326).
const wkt4326 = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// baseSchema is the GeoPackage 1.3 core (Annex C table definitions), the
// schema extension tables, and gisement's own tables.
var baseSchema = []string{
	fmt.Sprintf(`PRAGMA application_id = %d`, applicationID),
	fmt.Sprintf(`PRAGMA user_version = %d`, userVersion),
	`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
	`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
	`CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
	`CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name))`,
	`CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT, CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))`,
	`INSERT INTO gpkg_extensions VALUES ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write')`,
	`INSERT INTO gpkg_extensions VALUES ('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write')`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system')`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wkt4326 + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES ('RGF93 v1 / Lambert-93', 2154, 'EPSG', 2154, '` + wkt2154 + `', 'French metropolitan projected CRS, metres')`,
	// studies: one row per study (an attributes table, listed by ogrinfo).
	`CREATE TABLE studies (fid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT, scenario_hash TEXT, scenario TEXT, created_at TEXT NOT NULL, summary TEXT, inputs TEXT)`,
	`INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('studies', 'attributes', 'studies', 'gisement studies: one row per run (scenario JSON, summary JSON, inputs JSON)')`,
	// gisement_layers: layer schemas (JSON of data.Layer); not a GeoPackage table.
	`CREATE TABLE gisement_layers (name TEXT NOT NULL PRIMARY KEY, schema TEXT NOT NULL)`,
}

func sqlType(t data.ColumnType) string {
	switch t {
	case data.Integer:
		return "INTEGER"
	case data.Real:
		return "REAL"
	}
	return "TEXT"
}

func rtreeName(layer string) string { return "rtree_" + layer + "_geom" }

// layerDDL creates the feature table, its indexes and R-tree, and registers
// it in the GeoPackage metadata tables (bounds are filled after writing).
func layerDDL(l data.Layer) []string {
	var cols strings.Builder
	for _, c := range l.Columns {
		fmt.Fprintf(&cols, ", %s %s", sqlq.Quote(c.Name), sqlType(c.Type))
	}
	t := sqlq.Quote(l.Name)
	rt := sqlq.Quote(rtreeName(l.Name))
	s := []string{
		fmt.Sprintf(`CREATE TABLE %s (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom %s, study_id TEXT NOT NULL%s)`, t, l.GeomType, cols.String()),
		keyIndex(l),
		fmt.Sprintf(`CREATE VIRTUAL TABLE %s USING rtree(id, minx, maxx, miny, maxy)`, rt),
	}
	return s
}

// keyIndex creates the layer's unique index on (study_id, key) when absent.
// A chunked study drops it while it runs and FinishStudy recreates it
// (chunks.go).
func keyIndex(l data.Layer) string {
	return fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (study_id, %s)`, keyIndexName(l.Name), sqlq.Quote(l.Name), sqlq.Quote(l.Key))
}

// dropKeyIndex drops the layer's (study_id, key) index if present.
func dropKeyIndex(layer string) string {
	return `DROP INDEX IF EXISTS ` + keyIndexName(layer)
}

func keyIndexName(layer string) string { return sqlq.Quote("idx_" + layer + "_key") }

// triggers returns the GeoPackage 1.3 R-tree maintenance triggers
// (GeoPackage 1.3 §F.3, "Spatial Indexes", insert/update1-4/delete).
func triggers(layer string) []string {
	t, i, c := sqlq.Quote(layer), "fid", "geom"
	rt := sqlq.Quote(rtreeName(layer))
	name := func(s string) string { return sqlq.Quote("rtree_" + layer + "_geom_" + s) }
	ins := fmt.Sprintf(`INSERT OR REPLACE INTO %s VALUES (NEW.%s, ST_MinX(NEW.%s), ST_MaxX(NEW.%s), ST_MinY(NEW.%s), ST_MaxY(NEW.%s));`, rt, i, c, c, c, c)
	return []string{
		fmt.Sprintf(`CREATE TRIGGER %s AFTER INSERT ON %s WHEN (new.%s NOT NULL AND NOT ST_IsEmpty(NEW.%s)) BEGIN %s END`, name("insert"), t, c, c, ins),
		fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE OF %s ON %s WHEN OLD.%s = NEW.%s AND (NEW.%s NOTNULL AND NOT ST_IsEmpty(NEW.%s)) BEGIN %s END`, name("update1"), c, t, i, i, c, c, ins),
		fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE OF %s ON %s WHEN OLD.%s = NEW.%s AND (NEW.%s ISNULL OR ST_IsEmpty(NEW.%s)) BEGIN DELETE FROM %s WHERE id = OLD.%s; END`, name("update2"), c, t, i, i, c, c, rt, i),
		fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE OF %s ON %s WHEN OLD.%s != NEW.%s AND (NEW.%s NOTNULL AND NOT ST_IsEmpty(NEW.%s)) BEGIN DELETE FROM %s WHERE id = OLD.%s; %s END`, name("update3"), c, t, i, i, c, c, rt, i, ins),
		fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE ON %s WHEN OLD.%s != NEW.%s AND (NEW.%s ISNULL OR ST_IsEmpty(NEW.%s)) BEGIN DELETE FROM %s WHERE id IN (OLD.%s, NEW.%s); END`, name("update4"), t, i, i, c, c, rt, i, i),
		fmt.Sprintf(`CREATE TRIGGER %s AFTER DELETE ON %s WHEN old.%s NOT NULL BEGIN DELETE FROM %s WHERE id = OLD.%s; END`, name("delete"), t, c, rt, i),
	}
}

func dropTriggers(layer string) []string {
	var s []string
	for _, n := range []string{"insert", "update1", "update2", "update3", "update4", "delete"} {
		s = append(s, fmt.Sprintf(`DROP TRIGGER IF EXISTS %s`, sqlq.Quote("rtree_"+layer+"_geom_"+n)))
	}
	return s
}
