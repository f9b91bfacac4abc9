package main

// Real-data tests of issue 13 (territories other than the embedded sample).

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/gisement/gisement/api/report"
	"github.com/gisement/gisement/internal/shareddata"
)

// Paris 11e BDNB buildings alone, without --weather: the study runs on the
// embedded typical year scaled by the embedded irradiation field and says
// so; "not computed" is n/a; annexes for 75111 (arrondissement) and 75056
// (Paris) are written, each with its buildings.
func TestStudyParis11BuildingsOnlyDefaultWeather(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 5,227-building study")
	}
	b := shareddata.Path(t, "buildings/paris11_75111_bdnb_buildings.geojson.gz")
	dir := t.TempDir()
	out := filepath.Join(dir, "p11.gpkg")
	var stdout, stderr bytes.Buffer
	if err := runStudy(context.Background(), studyOptions{buildings: b, out: out, quiet: true, draws: 20}, &stdout, &stderr); err != nil {
		t.Fatalf("runStudy: %v\n%s", err, stderr.String())
	}
	sum := stdout.String()
	for _, want := range []string{"no --weather given: embedded typical year", "FRA_AC_La.Rochelle", "P90 sum n/a", "NPV (sum)            n/a", "CO2 avoided          n/a"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	m := regexp.MustCompile(`irradiance scale (\d\.\d+)`).FindStringSubmatch(sum)
	if m == nil {
		t.Fatalf("no irradiance scale in the summary:\n%s", sum)
	}
	// Paris receives less than La Rochelle (SolaireSimple: ~1,210 against
	// ~1,380 kWh/m²·yr): the factor is below 1.
	if f, _ := strconv.ParseFloat(m[1], 64); f < 0.8 || f > 0.95 {
		t.Errorf("irradiance scale %g, want 0.80–0.95 (Paris vs La Rochelle)", f)
	}
	// No machine path but the --out the user gave (the output line).
	cache, _ := os.UserCacheDir()
	for _, line := range strings.Split(sum, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "output") {
			continue
		}
		if strings.Contains(line, "/work/") || strings.Contains(line, os.TempDir()+"/") || (cache != "" && strings.Contains(line, cache)) {
			t.Errorf("summary line shows a machine path: %q", line)
		}
	}
	t.Logf("summary:\n%s", sum)
	db, err := sql.Open("sqlite", out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n75111, nAll int
	if err := db.QueryRow(`SELECT COUNT(*) FILTER (WHERE commune_insee = '75111'), COUNT(*) FROM buildings`).Scan(&n75111, &nAll); err != nil {
		t.Fatal(err)
	}
	if nAll != 5227 || n75111 < 5000 {
		t.Errorf("%d buildings in 75111 of %d, want most of 5,227 (BDNB parcel prefix)", n75111, nAll)
	}
	for code, wantN := range map[string]int{"75111": n75111, "75056": nAll} {
		html := filepath.Join(dir, "annexe-"+code+".html")
		if err := runReport(context.Background(), reportOptions{From: out, Commune: code, Out: html}); err != nil {
			t.Fatalf("report %s: %v", code, err)
		}
		b, err := os.ReadFile(html)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, want := range []string{"Étude sans parcelles cadastrales", "bâtiments étudiés", "CSTB — BDNB", "SolaireSimple (2025), CC BY 4.0", fmt.Sprintf("%d\u202f%03d", wantN/1000, wantN%1000)} {
			if !strings.Contains(s, want) {
				t.Errorf("annex %s lacks %q", code, want)
			}
		}
		if strings.Contains(s, "/work/") || strings.Contains(s, os.TempDir()+"/") {
			t.Errorf("annex %s shows a machine path", code)
		}
		// The parcel-less annex uses the generic synthesis (scaled units)
		// and is French throughout, as the parcel annex.
		if !strings.Contains(s, "MWc") {
			t.Errorf("annex %s: synthesis without a power in MWc", code)
		}
		for _, p := range report.CheckFrench(s) {
			t.Errorf("annex %s: %s", code, p)
		}
		if _, err := exec.LookPath("chromium"); err == nil {
			pdf := filepath.Join(dir, "annexe-"+code+".pdf")
			if err := runReport(context.Background(), reportOptions{From: out, Commune: code, Out: pdf}); err != nil {
				t.Errorf("PDF %s: %v", code, err)
			} else if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("PDF %s: not a PDF", code)
			}
		} else {
			t.Logf("chromium not on PATH: PDF of %s not checked", code)
		}
	}
}

// Paris 11e buildings with the Paris 18e parcels: the files do not
// overlap; the study stops with exit 2 naming both files and the overlap.
func TestStudyMismatchedParcelsExit2(t *testing.T) {
	b := shareddata.Path(t, "buildings/paris11_75111_bdnb_buildings.geojson.gz")
	p := shareddata.Path(t, "parcels/cadastre-75118-parcelles.json.gz")
	code, stderr := runMain(t, "study", "--buildings", b, "--parcels", p, "--out", filepath.Join(t.TempDir(), "x.gpkg"), "--quiet")
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"paris11_75111_bdnb_buildings.geojson.gz", "cadastre-75118-parcelles.json.gz", "barely overlap", "0 of 5227 buildings", "--allow-low-overlap"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// Périgueux OSM buildings with the Dordogne commune outlines: every
// building is placed in 24322 by point-in-polygon, the outlines are
// clipped to the study (one commune kept of 520), default heights are
// flagged prominently, and the annex credits © OpenStreetMap contributors
// (ODbL), not the BDNB.
func TestStudyPerigueuxOSMBoundaries(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 14,774-building study")
	}
	b := shareddata.Path(t, "buildings/perigueux_24322_osm_buildings.geojson.gz")
	bd := shareddata.Path(t, "boundaries/communes-24-dordogne_2018.geojson.gz")
	dir := t.TempDir()
	out := filepath.Join(dir, "pgx.gpkg")
	var stdout, stderr bytes.Buffer
	if err := runStudy(context.Background(), studyOptions{buildings: b, boundaries: bd, out: out, quiet: true, draws: 20}, &stdout, &stderr); err != nil {
		t.Fatalf("runStudy: %v\n%s", err, stderr.String())
	}
	sum := stdout.String()
	for _, want := range []string{"SHADING NOT MODELLED", "14774 from --boundaries, 0 unknown", "520 read, 5 kept"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	db, err := sql.Open("sqlite", out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The OSM extract is a rectangle around the town: a few buildings lie
	// in the neighbouring communes (Trélissac, Chancelade, …) and get their
	// code; none is left without a commune.
	var in, unknown, all int
	if err := db.QueryRow(`SELECT COUNT(*) FILTER (WHERE commune_insee = '24322'), COUNT(*) FILTER (WHERE commune_insee = '' OR commune_insee IS NULL), COUNT(*) FROM buildings`).Scan(&in, &unknown, &all); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d buildings in 24322, %d without a commune", in, all, unknown)
	if all != 14774 || unknown != 0 || float64(in) < 0.99*float64(all) {
		t.Errorf("%d of %d buildings in 24322 and %d unknown, want all placed and ≥ 99 %% in 24322", in, all, unknown)
	}
	var name string
	if err := db.QueryRow(`SELECT name FROM communes WHERE commune_insee = '24322'`).Scan(&name); err != nil || name != "Périgueux" {
		t.Errorf("communes layer name %q (%v), want Périgueux", name, err)
	}
	html := filepath.Join(dir, "annexe.html")
	if err := runReport(context.Background(), reportOptions{From: out, Commune: "24322", Out: html}); err != nil {
		t.Fatal(err)
	}
	s, _ := os.ReadFile(html)
	if !strings.Contains(string(s), "© OpenStreetMap contributors (ODbL)") || !strings.Contains(string(s), "Open Database License") {
		t.Errorf("annex lacks the ODbL attribution")
	}
	if strings.Contains(string(s), "CSTB — BDNB") {
		t.Errorf("annex credits the BDNB for OSM buildings")
	}
	if !strings.Contains(string(s), "SHADING NOT MODELLED") {
		t.Errorf("annex does not show the default-height warning")
	}
}

// A multi-site PVGIS file without --site: exit 2, the message names the
// --site flag (not a Go field).
func TestStudyMultiSiteWeatherNamesFlag(t *testing.T) {
	b := shareddata.Path(t, "buildings/paris11_75111_bdnb_buildings.geojson.gz")
	w := shareddata.Path(t, "weather/pvgis_seriescalc_2022_brest_montpellier_1kWp_horizontal.csv.gz")
	code, stderr := runMain(t, "study", "--buildings", b, "--weather", w, "--out", filepath.Join(t.TempDir(), "x.gpkg"), "--quiet")
	if code != 2 || !strings.Contains(stderr, "--site N") || strings.Contains(stderr, "Options.") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}
