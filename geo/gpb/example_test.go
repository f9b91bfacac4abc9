package gpb_test

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/gisement/gisement/geo/gpb"
)

// Write a GeoPackageBinary blob for a Lambert-93 point, then read its
// header and hand the WKB body to a WKB decoder.
func Example() {
	p := orb.Point{521095.9, 6456513.2}
	blob := gpb.AppendHeader(nil, 2154, p.Bound())
	blob = append(blob, wkb.MustMarshal(p)...)

	h, err := gpb.ParseHeader(blob)
	if err != nil {
		fmt.Println(err)
		return
	}
	env, _ := h.Bound()
	g, err := wkb.Unmarshal(blob[h.Size:])
	fmt.Printf("srs_id %d, header %d bytes, envelope min %v\n", h.SRSID, h.Size, env.Min)
	fmt.Println(g, err)

	_, err = gpb.ParseHeader([]byte("not a blob"))
	fmt.Println(err)
	// Output:
	// srs_id 2154, header 40 bytes, envelope min [521095.9 6.4565132e+06]
	// [521095.9 6.4565132e+06] <nil>
	// malformed GeoPackageBinary geometry: no "GP" magic and 8-byte header
}
