package crs_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// Project a point of Périgueux from longitude/latitude to Lambert-93, back,
// and turn a grid azimuth into a true azimuth with the meridian convergence.
func Example() {
	toL93, err := crs.ToLambert93(crs.EPSG4326)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := toL93(orb.Point{0.7218, 45.1847}) // [lon, lat] degrees
	fmt.Printf("Lambert-93: E %.1f m, N %.1f m\n", p[0], p[1])

	fromL93, _ := crs.FromLambert93(crs.EPSG4326)
	ll := fromL93(p)
	fmt.Printf("back: lon %.4f°, lat %.4f°\n", ll[0], ll[1])

	gamma := crs.Lambert93ConvergenceDeg(p)
	fmt.Printf("convergence %.2f°: grid azimuth 180° is true azimuth %.2f°\n", gamma, 180+gamma)

	// A Lambert-93 square of 100 m side, projected as a whole (a copy).
	sq := orb.Polygon{{{p[0], p[1]}, {p[0] + 100, p[1]}, {p[0] + 100, p[1] + 100}, {p[0], p[1] + 100}, {p[0], p[1]}}}
	g := crs.Project(sq, crs.Lambert93ToLonLat).(orb.Polygon)
	fmt.Printf("north-east corner: lon %.5f°, lat %.5f°\n", g[0][2][0], g[0][2][1])

	if _, err := crs.ToLambert93(27572); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Lambert-93: E 521095.9 m, N 6456513.2 m
	// back: lon 0.7218°, lat 45.1847°
	// convergence -1.65°: grid azimuth 180° is true azimuth 178.35°
	// north-east corner: lon 0.72304°, lat 45.18563°
	// EPSG:27572: unsupported coordinate reference system
}
