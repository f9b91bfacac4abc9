package surface

import (
	"encoding/csv"
	"github.com/gisement/gisement/geo/crs"
	"github.com/paulmach/orb"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// refPlane is one row of testdata/montpellier_reference_planes.csv: a plane
// fitted by sequential RANSAC on the LAZ class-6 points (see the file's
// header and testdata/lidarref/fit_planes.js), independent of the DSM.
type refPlane struct {
	building                 string
	areaH, tilt, azGrid, rms float64
	cx, cy, cz               float64
	mx, my                   float64 // inlier nearest the centroid
}

func readReferencePlanes(t *testing.T) []refPlane {
	f, err := os.Open("testdata/montpellier_reference_planes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []refPlane
	for i, row := range rows[1:] {
		v := make([]float64, len(row))
		for j := 2; j < len(row); j++ {
			if v[j], err = strconv.ParseFloat(row[j], 64); err != nil {
				t.Fatalf("reference CSV row %d field %d: %v", i+2, j+1, err)
			}
		}
		out = append(out, refPlane{building: row[0], areaH: v[3], tilt: v[4], azGrid: v[5], cx: v[6], cy: v[7], cz: v[8], rms: v[9], mx: v[10], my: v[11]})
	}
	return out
}

func angDiff(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), 360)
	return math.Min(d, 360-d)
}

// TestMontpellierPlanesAgainstPointCloud: the must-show of issue 17. For
// every reference plane over 20 m² (horizontal), the DSM facet of the same
// building holding most of the 5×5 cells around the reference plane's
// medoid (its inlier nearest the centroid), among those passing within
// 0.3 m of the reference plane there, is compared: tilt within 4°, azimuth within 15°
// (pitched planes only: a flat plane's azimuth is undefined), flat/pitched
// agreement; every roof classified flat/pitched as the reference; heights
// within 1 m of the footprints' DSM − DTM medians.
func TestMontpellierPlanesAgainstPointCloud(t *testing.T) {
	bs, roofs := analyseMontpellier(t, false)
	refs := readReferencePlanes(t)
	byID := map[string]*Roof{}
	for i := range roofs {
		byID[roofs[i].ID] = &roofs[i]
	}
	const flatTilt = 5.0 // DefaultOptions().FlatMaxTiltDeg
	compared := 0
	var maxDT, maxDA float64
	for _, rp := range refs {
		if rp.areaH < 20 {
			continue
		}
		r := byID[rp.building]
		if r == nil || !r.Observed {
			t.Errorf("%s: no observed roof", rp.building)
			continue
		}
		// Majority facet over the 5×5 cells around the medoid (a single
		// cell may be an unsegmented ridge or vent), among the facets whose
		// plane passes within 0.3 m of the reference plane there.
		sl := math.Tan(rp.tilt * math.Pi / 180)
		sa, ca := math.Sincos(rp.azGrid * math.Pi / 180)
		refZ := func(x, y float64) float64 { return rp.cz - sl*((x-rp.cx)*sa+(y-rp.cy)*ca) }
		votes := map[int]int{}
		for dy := -1.0; dy <= 1.0; dy += 0.5 {
			for dx := -1.0; dx <= 1.0; dx += 0.5 {
				x, y := rp.mx+dx, rp.my+dy
				if l := r.facetAt(x, y); l >= 0 {
					f := &r.Facets[l]
					if math.Abs(f.a*x+f.b*y+f.c-refZ(x, y)) <= 0.3 {
						votes[l]++
					}
				}
			}
		}
		best := -1
		for l, v := range votes {
			if best < 0 || v > votes[best] || v == votes[best] && l < best {
				best = l
			}
		}
		if best < 0 {
			t.Errorf("%s reference plane at (%.1f, %.1f, %.1f), %.0f m², tilt %.1f°: no DSM facet at its medoid", rp.building, rp.mx, rp.my, rp.cz, rp.areaH, rp.tilt)
			continue
		}
		f := r.Facets[best]
		compared++
		refFlat := rp.tilt < flatTilt
		dT := math.Abs(f.TiltDeg - rp.tilt)
		maxDT = math.Max(maxDT, dT)
		if dT > 4 {
			t.Errorf("%s plane at (%.1f, %.1f) %.0f m²: tilt %.1f°, point-cloud fit %.1f° (|Δ| %.1f > 4°)", rp.building, rp.cx, rp.cy, rp.areaH, f.TiltDeg, rp.tilt, dT)
		}
		if f.Flat != refFlat {
			t.Errorf("%s plane at (%.1f, %.1f): flat=%v, point-cloud fit tilt %.1f°", rp.building, rp.cx, rp.cy, f.Flat, rp.tilt)
		}
		if !refFlat {
			refAz := math.Mod(rp.azGrid+crs.Lambert93ConvergenceDeg(orb.Point{rp.cx, rp.cy})+360, 360)
			dA := angDiff(f.AzimuthDeg, refAz)
			maxDA = math.Max(maxDA, dA)
			if dA > 15 {
				t.Errorf("%s plane at (%.1f, %.1f) %.0f m²: azimuth %.1f°, point-cloud fit %.1f° (|Δ| %.1f > 15°)", rp.building, rp.cx, rp.cy, rp.areaH, f.AzimuthDeg, refAz, dA)
			}
		}
	}
	if compared < 30 {
		t.Errorf("only %d reference planes compared", compared)
	}
	t.Logf("%d reference planes > 20 m² compared: max |Δtilt| %.2f°, max |Δazimuth| %.2f°", compared, maxDT, maxDA)
	// Roof type: the reference roof is flat when its flat planes hold at
	// least half of its plane area (the package's FlatRoofShare rule).
	flatA, allA := map[string]float64{}, map[string]float64{}
	for _, rp := range refs {
		allA[rp.building] += rp.areaH
		if rp.tilt < flatTilt {
			flatA[rp.building] += rp.areaH
		}
	}
	nFlat := 0
	for i, b := range bs {
		r := &roofs[i]
		want := flatA[b.fp.ID] >= 0.5*allA[b.fp.ID]
		if r.Flat != want {
			t.Errorf("%s: flat=%v, point-cloud planes say flat=%v", b.fp.ID, r.Flat, want)
		}
		if r.Flat {
			nFlat++
		}
		if math.IsNaN(r.HeightM) || math.Abs(r.HeightM-b.hauteur) > 1 {
			t.Errorf("%s: height %.2f m, DSM − DTM median of the footprint file %.2f m", b.fp.ID, r.HeightM, b.hauteur)
		}
		if r.HeightBasis != HeightFromDTM {
			t.Errorf("%s: height basis %q", b.fp.ID, r.HeightBasis)
		}
	}
	// SOURCES.md: two flat-roofed 16 m blocks (MTP-08, MTP-10), whatever their size.
	if nFlat != 2 || !byID["LIDAR-MTP-08"].Flat || !byID["LIDAR-MTP-10"].Flat {
		t.Errorf("flat roofs: %d, want MTP-08 and MTP-10", nFlat)
	}
	if !strings.HasPrefix(refs[0].building, "LIDAR-MTP-") {
		t.Errorf("reference CSV building ids %q", refs[0].building)
	}
}
