package surface

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
)

// TestApplyToTerritory: the study hook replaces the modelled planes of the
// buildings the DSM covers, fills missing heights, records the sources, and
// leaves a building outside the DSM modelled.
func TestApplyToTerritory(t *testing.T) {
	dir := lidarBlock(t)
	bs := loadMontpellier(t, dir)
	var tb []geo.Building
	for i, b := range bs {
		c, a := planar.CentroidArea(b.fp.Geometry)
		gb := geo.Building{ID: b.fp.ID, Footprint: b.fp.Geometry, FootprintM2: a, Centroid: c, GroundAltM: math.NaN(),
			HeightM: 9, HeightSource: "default"}
		if i == 0 {
			gb.HeightM, gb.HeightSource = 3, geo.HeightFromAttribute
		}
		tb = append(tb, gb)
	}
	far := orb.MultiPolygon{{{{771000, 6277000}, {771010, 6277000}, {771010, 6277010}, {771000, 6277010}, {771000, 6277000}}}}
	tb = append(tb, geo.Building{ID: "far", Footprint: far, FootprintM2: 100, Centroid: orb.Point{771005, 6277005},
		GroundAltM: math.NaN(), HeightM: 9, HeightSource: "default"})
	terr := &geo.Territory{Buildings: tb}
	terr.ComputePlanes(geo.DefaultRoofOptions(), geo.DefaultHorizonOptions())
	dsm, err := OpenMosaic(filepath.Join(dir, "montpellier_770500_6277500_dsm_0m50.tif"))
	if err != nil {
		t.Fatal(err)
	}
	dtm, err := OpenMosaic(dir + "/montpellier_770500_6277500_dtm_0m50.tif")
	if err != nil {
		t.Fatal(err)
	}
	calls, partial := 0, 0
	terrain := func(x, y float64) []float64 {
		calls++
		h := make([]float64, 48)
		h[24] = 3 // a 3° ridge to the south
		return h
	}
	rep, err := ApplyToTerritory(terr, dsm, dtm, TerritoryOptions{Roof: geo.DefaultRoofOptions(), Terrain: terrain})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ObservedBuildings != 10 || rep.ModelledBuildings != 1 || rep.HeightsFromDSM != 9 || calls == 0 {
		t.Errorf("report %+v, terrain calls %d", rep, calls)
	}
	if terr.Buildings[0].HeightM != 3 {
		t.Errorf("attribute height overwritten: %.2f", terr.Buildings[0].HeightM)
	}
	for i := range terr.Buildings {
		b := &terr.Buildings[i]
		pls := terr.BuildingPlanes(i)
		if b.ID == "far" {
			if len(pls) != 2 || pls[0].RoofSource != RoofModelled || pls[0].ShadingSource != ShadingBuildings+TerrainSuffix {
				t.Errorf("far: %d planes, sources %q/%q", len(pls), pls[0].RoofSource, pls[0].ShadingSource)
			}
			continue
		}
		if i > 0 && (b.HeightSource != HeightFromDTM || math.Abs(b.HeightM-bs[i].hauteur) > 1) {
			t.Errorf("%s: height %.2f (%s), DSM − DTM %.2f", b.ID, b.HeightM, b.HeightSource, bs[i].hauteur)
		}
		if b.RoofTypeSource != RoofTypeFromDSM || (b.RoofType == geo.RoofFlat) != (b.ID == "LIDAR-MTP-08" || b.ID == "LIDAR-MTP-10") {
			t.Errorf("%s: roof %s (%s)", b.ID, b.RoofType, b.RoofTypeSource)
		}
		if len(pls) == 0 {
			t.Errorf("%s: no plane", b.ID)
		}
		for k, p := range pls {
			if p.BuildingIdx != i || p.Index != k || p.RoofSource != RoofObserved || p.ShadingSource != ShadingDSM+TerrainSuffix ||
				len(p.Horizon.ElevationDeg) != 48 || p.Horizon.ElevationDeg[24] < 3 || p.UsableM2 <= 0 || p.UsableM2 > p.AreaM2 {
				t.Errorf("%s plane %d: %+v", b.ID, k, p)
			}
			// The minimum horizon (mismatch loss of partial shading): no
			// higher than the mean or any profile, the terrain included.
			if len(p.HorizonMin.ElevationDeg) != 48 || p.HorizonMin.ElevationDeg[24] < 3 {
				t.Errorf("%s plane %d: minimum horizon %v", b.ID, k, p.HorizonMin.ElevationDeg)
				continue
			}
			for s, v := range p.HorizonMin.ElevationDeg {
				if v > p.Horizon.ElevationDeg[s]+1e-9 {
					t.Errorf("%s plane %d sector %d: minimum %.3f° above the mean %.3f°", b.ID, k, s, v, p.Horizon.ElevationDeg[s])
				}
				for _, hp := range p.HorizonProfiles {
					if v > hp.ElevationDeg[s]+1e-9 {
						t.Errorf("%s plane %d sector %d: minimum %.3f° above a profile's %.3f°", b.ID, k, s, v, hp.ElevationDeg[s])
					}
				}
				if v < p.Horizon.ElevationDeg[s]-1e-9 {
					partial++
				}
			}
		}
	}
	if partial == 0 {
		t.Error("no sector where the sample points disagree: the minimum horizon is not exercised")
	}
	t.Logf("%d plane sectors where the minimum horizon is below the mean", partial)
	if n := terr.PlaneStart[len(terr.Buildings)]; n != len(terr.Planes) {
		t.Errorf("PlaneStart end %d, %d planes", n, len(terr.Planes))
	}
}
