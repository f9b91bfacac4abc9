package study

import (
	"testing"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model/pv"
)

// TestAssignPitch: the regional default of the building's département
// (Dordogne 24 and Hérault 34: canal tiles, 20°; Finistère 29: slate, 40°;
// Puy-de-Dôme 63: interlocking tiles, 33°), pv.roof.pitch_deg where the
// département is unknown or with pv.roof.pitch: scenario, and a pitch
// attribute kept.
func TestAssignPitch(t *testing.T) {
	mk := func() *geo.Territory {
		return &geo.Territory{Buildings: []geo.Building{
			{ID: "a", CommuneINSEE: "24322"}, {ID: "b", CommuneINSEE: "34172"}, {ID: "c", CommuneINSEE: "29019"},
			{ID: "d", CommuneINSEE: "63113"}, {ID: "e"}, {ID: "f", CommuneINSEE: "75056", RoofPitchDeg: 12, RoofPitchSource: geo.PitchFromAttribute},
		}}
	}
	p := pv.Defaults()
	tr := mk()
	a := assignPitch(tr, p, nil)
	want := []struct {
		deg float64
		src string
	}{{20, geo.PitchRegional}, {20, geo.PitchRegional}, {40, geo.PitchRegional}, {33, geo.PitchRegional},
		{p.Roof.PitchDeg.Value, geo.PitchFromOptions}, {12, geo.PitchFromAttribute}}
	for i, w := range want {
		b := tr.Buildings[i]
		if b.RoofPitchDeg != w.deg || b.RoofPitchSource != w.src {
			t.Errorf("%s (%q): %v° %q, want %v° %q", b.ID, b.CommuneINSEE, b.RoofPitchDeg, b.RoofPitchSource, w.deg, w.src)
		}
	}
	if a.Regional != 4 || a.Scenario != 1 || a.Attribute != 1 || len(a.ByDept) != 4 || a.ByDept["24"].Source == "" {
		t.Errorf("assignment %+v", a)
	}
	p.Roof.Pitch = pv.PitchScenario
	p.Roof.PitchDeg.Value = 35
	tr = mk()
	a = assignPitch(tr, p, nil)
	for _, b := range tr.Buildings[:5] {
		if b.RoofPitchDeg != 35 || b.RoofPitchSource != geo.PitchFromOptions {
			t.Errorf("scenario pitch: %s %v° %q", b.ID, b.RoofPitchDeg, b.RoofPitchSource)
		}
	}
	if a.Scenario != 5 || a.Regional != 0 {
		t.Errorf("scenario assignment %+v", a)
	}
}
