package web_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gisement/gisement/api/apitest"
)

// pageColumns parses the `columns` dictionary of src/columns.js (generated
// from the study's schema, one entry per line): column → [fr label, en
// label, fr unit, en unit].
func pageColumns(t *testing.T) map[string][4]string {
	t.Helper()
	b, err := os.ReadFile("src/columns.js")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "export const columns = {")
	if i < 0 {
		t.Fatal("src/columns.js has no `export const columns`")
	}
	re := regexp.MustCompile(`^  (\w+): \{ fr: '((?:[^'\\]|\\.)*)', en: '((?:[^'\\]|\\.)*)', unit: \['([^']*)', '([^']*)'\], d: \d`)
	out := map[string][4]string{}
	for _, line := range strings.Split(s[i:], "\n")[1:] {
		if strings.HasPrefix(line, "}") {
			break
		}
		m := re.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("src/columns.js: unparsable line %q", line)
		}
		out[m[1]] = [4]string{m[2], m[3], m[4], m[5]}
	}
	if len(out) < 20 {
		t.Fatalf("only %d columns parsed", len(out))
	}
	return out
}

// readmeColumns reads the "Output columns" tables of README.md: section
// (parcels, buildings, communes and zones, carparks) → column → unit.
func readmeColumns(t *testing.T) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Skipf("README.md not found: %v", err)
	}
	defer f.Close()
	out := map[string]map[string]string{}
	sec := ""
	row := regexp.MustCompile("^\\| `(\\w+)` \\| \\w+ \\| ([^|]*) \\|")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#### ") {
			sec = strings.TrimPrefix(line, "#### ")
			continue
		}
		if strings.HasPrefix(line, "## ") {
			sec = ""
		}
		if m := row.FindStringSubmatch(line); m != nil && sec != "" {
			if out[sec] == nil {
				out[sec] = map[string]string{}
			}
			out[sec][m[1]] = strings.TrimSpace(m[2])
		}
	}
	return out
}

// TestEveryColumnHasALabel fails when a column of the parcels, buildings,
// communes/zones or car-park layers (README "Output columns", generated
// from the study's schema, and the synthetic test store) has no French and
// English label in the page, or a unit in the README but none in the page
// (the screenshot of the real study showed raw keys like
// "col_pv_specific_yield_q10").
func TestEveryColumnHasALabel(t *testing.T) {
	page := pageColumns(t)
	secs := readmeColumns(t)
	for _, want := range []string{"parcels", "buildings", "communes and zones", "carparks"} {
		cols := secs[want]
		if len(cols) == 0 {
			t.Errorf("README.md: no %q column table", want)
			continue
		}
		for col, unit := range cols {
			p, ok := page[col]
			switch {
			case !ok:
				t.Errorf("%s column %s has no label in src/columns.js", want, col)
			case p[0] == "" || p[1] == "":
				t.Errorf("%s column %s: empty label %v", want, col, p)
			case unit != "" && (p[2] == "" || p[3] == ""):
				t.Errorf("%s column %s: unit %q in the README, none in the page %v", want, col, unit, p)
			}
		}
	}
	// The synthetic store used by the tests and the load generator.
	st, err := apitest.Write(context.Background(), filepath.Join(t.TempDir(), "syn.gpkg"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ls, err := st.Layers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Name != "parcels" && l.Name != "buildings" && l.Name != "communes" {
			continue
		}
		for _, c := range l.Columns {
			if _, ok := page[c.Name]; !ok {
				t.Errorf("synthetic store: %s column %s has no label in src/columns.js", l.Name, c.Name)
			}
		}
	}
}
