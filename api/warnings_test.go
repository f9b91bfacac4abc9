package api

import (
	"strings"
	"testing"

	"github.com/gisement/gisement/data"
)

// TestScenarioRefWarnings: the scenario reference of feature answers
// carries the study's warnings, and their French form for the web map.
func TestScenarioRefWarnings(t *testing.T) {
	st := data.Study{ID: "s", Summary: []byte(`{"warnings":["study area: kept 3 of 4 buildings and 2 of 5 parcels (centroid inside)","something new"]}`)}
	ref := (&Server{}).scenarioRef(st)
	if len(ref.Warnings) != 2 || len(ref.WarningsFR) != 2 {
		t.Fatalf("warnings %q, French %q", ref.Warnings, ref.WarningsFR)
	}
	if !strings.HasPrefix(ref.WarningsFR[0], "Périmètre d'étude : 3 bâtiments retenus sur 4") || ref.WarningsFR[1] != "something new" {
		t.Errorf("French warnings %q", ref.WarningsFR)
	}
	if r := (&Server{}).scenarioRef(data.Study{}); r.Warnings != nil || r.WarningsFR != nil {
		t.Errorf("study without summary: %+v", r)
	}
}
