package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/gisement/gisement/model/study"
)

// TestColumnsJSUpToDate fails when src/columns.js or its copy in dist/ is
// not what the study's schema generates (run `go generate ./api/web`).
func TestColumnsJSUpToDate(t *testing.T) {
	want, err := render(study.Schema())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../../src/columns.js", "../../dist/columns.js"} {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `go generate ./api/web`", p)
		}
	}
	if !bytes.Contains(want, []byte(`  pv_kwp: { fr: 'Potentiel technique PV (puissance)', en: 'Technical PV potential (power)', unit: ['kWc', 'kWp'], d: 1 },`)) {
		t.Errorf("unexpected rendering of pv_kwp:\n%s", want)
	}
}
