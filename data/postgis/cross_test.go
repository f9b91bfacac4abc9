package postgis

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/storetest"
	"github.com/gisement/gisement/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// TestSameAsGeoPackage writes the same SYNTHETIC study to both stores and
// compares every conformance query page by page, and the zone totals.
func TestSameAsGeoPackage(t *testing.T) {
	url := pgtest.SchemaURL(t, "t")
	ctx := context.Background()
	pg, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	gp, err := gpkg.Open(filepath.Join(t.TempDir(), "r.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer gp.Close()
	for _, s := range []data.Store{pg, gp, pg, gp} { // twice: replaced, not duplicated
		_, _, layers := storetest.Input()
		if err := s.WriteStudy(ctx, storetest.Study("x", time.Unix(1e9, 0)), layers); err != nil {
			t.Fatal(err)
		}
	}
	for name, q := range storetest.Queries() {
		total := 0
		for page := 0; ; page++ {
			a, err1 := pg.Query(ctx, "buildings", q)
			b, err2 := gp.Query(ctx, "buildings", q)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v / %v", name, err1, err2)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s page %d differs:\npostgis %v\ngpkg    %v", name, page, a.Features, b.Features)
			}
			total += len(a.Features)
			if a.Next == "" {
				break
			}
			q.Cursor = a.Next
		}
		t.Logf("%s: %d features identical", name, total)
	}
	cols := []string{"pv_kwh_yr", "roof_area_m2", "n_planes"}
	a, err1 := pg.Summary(ctx, "x", "buildings", storetest.Zone(), cols)
	b, err2 := gp.Summary(ctx, "x", "buildings", storetest.Zone(), cols)
	if err1 != nil || err2 != nil || a.Count != b.Count {
		t.Fatalf("summary: %+v %v / %+v %v", a, err1, b, err2)
	}
	for _, c := range cols {
		if math.Abs(a.Sums[c]-b.Sums[c]) > 1e-9*math.Abs(b.Sums[c]) {
			t.Errorf("sum %s: postgis %.6f gpkg %.6f", c, a.Sums[c], b.Sums[c])
		}
	}
	sa, _ := pg.Study(ctx, "x")
	sb, _ := gp.Study(ctx, "x")
	if !reflect.DeepEqual(sa.Counts, sb.Counts) || sa.Counts["buildings"] != storetest.NBuildings {
		t.Errorf("counts: postgis %v gpkg %v", sa.Counts, sb.Counts)
	}
	t.Logf("zone: %d buildings, %.0f kWh/yr in both stores", a.Count, a.Sums["pv_kwh_yr"])
}

func TestMigrationsIdempotent(t *testing.T) {
	url := pgtest.SchemaURL(t, "t")
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		s, err := Open(ctx, url, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n, v int
	if err := c.QueryRow(ctx, `SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &v); err != nil || n != len(migrations)-1 || v != len(migrations)-1 {
		t.Fatalf("schema_migrations: %d rows, max %d, %v; want %d", n, v, err, len(migrations)-1)
	}
}
