package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
)

// TestBulkRTree writes enough SYNTHETIC buildings for a three-level R-tree
// (> 51² cells), replaces one of two studies, and checks the bulk-loaded
// R-tree with SQLite's rtreecheck() and against a brute-force envelope
// search of the blobs.
func TestBulkRTree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rt.gpkg")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write := func(id string, n int, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 1))
		fs := make([]data.Feature, n)
		for i := range fs {
			fs[i] = storetest.Building(r, i)
		}
		if err := s.WriteStudy(context.Background(), storetest.Study(id, time.Unix(int64(seed), 0)), []data.LayerData{{Layer: storetest.BuildingsLayer, Features: data.SliceFeatures(fs)}}); err != nil {
			t.Fatal(err)
		}
	}
	write("a", 3000, 1)
	write("b", 1500, 2)
	write("a", 2000, 3) // replace: study a's 3000 rows go, 2000 new ones come

	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rt := rtreeName(storetest.BuildingsLayer.Name)
	var check string
	if err := db.QueryRow(fmt.Sprintf(`SELECT rtreecheck('%s')`, rt)).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("rtreecheck: %q, %v", check, err)
	}
	var nRows, nTree, depth int
	db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s`, storetest.BuildingsLayer.Name)).Scan(&nRows)
	db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s`, rt)).Scan(&nTree)
	db.QueryRow(fmt.Sprintf(`SELECT CAST(hex(substr(data, 1, 2)) AS INTEGER) FROM %s_node WHERE nodeno = 1`, rt)).Scan(&depth)
	if nRows != 3500 || nTree != nRows {
		t.Fatalf("%d rows, %d r-tree entries, want 3500 each", nRows, nTree)
	}
	if depth < 2 {
		t.Errorf("root depth %d, want a three-level tree", depth)
	}
	// Brute force: every fid whose envelope meets the box.
	type env struct {
		fid                    int64
		minx, maxx, miny, maxy float64
	}
	var envs []env
	rows, err := db.Query(fmt.Sprintf(`SELECT fid, geom FROM %s`, storetest.BuildingsLayer.Name))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var fid int64
		var blob []byte
		rows.Scan(&fid, &blob)
		b, _, err := blobBound(blob)
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, env{fid, b.Min[0], b.Max[0], b.Min[1], b.Max[1]})
	}
	rows.Close()
	r := rand.New(rand.NewPCG(9, 9))
	for q := 0; q < 50; q++ {
		x := storetest.Origin[0] + r.Float64()*storetest.SideM
		y := storetest.Origin[1] + r.Float64()*storetest.SideM
		w := 10 + r.Float64()*300
		var want []int64
		for _, e := range envs {
			if e.minx <= x+w && e.maxx >= x && e.miny <= y+w && e.maxy >= y {
				want = append(want, e.fid)
			}
		}
		var got []int64
		rows, err := db.Query(fmt.Sprintf(`SELECT id FROM %s WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?`, rt), x+w, x, y+w, y)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			got = append(got, id)
		}
		rows.Close()
		slices.Sort(got)
		slices.Sort(want)
		// float32 boxes are rounded outwards: got ⊇ want, extra only at the edges.
		for _, id := range want {
			if _, ok := slices.BinarySearch(got, id); !ok {
				t.Fatalf("box %d: fid %d missing from the r-tree answer", q, id)
			}
		}
		if len(got) > len(want)+2 {
			t.Errorf("box %d: r-tree returned %d fids, brute force %d", q, len(got), len(want))
		}
	}
}

// TestBulkRTreeTriggers: after a bulk load, the GeoPackage triggers still
// maintain the R-tree (an edit made by another tool, e.g. QGIS).
func TestBulkRTreeTriggers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tr.gpkg")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	fs := []data.Feature{storetest.Building(r, 0), storetest.Building(r, 1)}
	if err := s.WriteStudy(context.Background(), storetest.Study("a", time.Unix(0, 0)), []data.LayerData{{Layer: storetest.BuildingsLayer, Features: data.SliceFeatures(fs)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	layer, rt := storetest.BuildingsLayer.Name, rtreeName(storetest.BuildingsLayer.Name)
	if _, err := db.Exec(fmt.Sprintf(`DELETE FROM %s WHERE fid = 1`, layer)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf(`INSERT INTO %s (geom, study_id, %s) SELECT geom, 'b', %s FROM %s WHERE fid = 2`, layer, storetest.BuildingsLayer.Key, storetest.BuildingsLayer.Key, layer)); err != nil {
		t.Fatal(err)
	}
	var ids string
	var check string
	db.QueryRow(fmt.Sprintf(`SELECT group_concat(id) FROM (SELECT id FROM %s ORDER BY id)`, rt)).Scan(&ids)
	db.QueryRow(fmt.Sprintf(`SELECT rtreecheck('%s')`, rt)).Scan(&check)
	if ids != "2,3" || check != "ok" {
		t.Errorf("r-tree ids %q (want 2,3), rtreecheck %q", ids, check)
	}
}
