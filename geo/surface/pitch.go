package surface

import (
	"fmt"
	"strings"
)

// PitchDefault is the modelled roof pitch of a pitched roof where no surface
// model covers the building: a regional default by traditional roof
// covering, with a plausible range and its source.
type PitchDefault struct {
	// Deg is the pitch (tilt from horizontal) to model with; LowDeg–HighDeg
	// the range to carry as its uncertainty.
	Deg, LowDeg, HighDeg float64
	// Covering names the dominant traditional covering of the region.
	Covering string
	// Source cites what the value rests on.
	Source string
}

// Regional pitch families. The DTU (French roofing codes, NF DTU série 40)
// give MINIMUM slopes per climate zone (I–III, rain with wind), site
// exposure and rafter length; built roofs sit above them, so the typical
// value of each family is our assumption above the DTU minimum, checked on
// the Montpellier IGN LiDAR HD block (canal-tile house roofs measured at
// 19–21° by this package, 33 facets over 20 m²).
var (
	pitchCanal = PitchDefault{Deg: 20, LowDeg: 15, HighDeg: 25, Covering: "tuiles canal (Mediterranean/south-western curved tiles)",
		Source: "NF DTU 40.22 (couverture en tuiles canal de terre cuite, 1993), table I: minimum slopes 0.24–0.35 m/m (13.5–19.3°) by zone and situation for rafters up to 12 m; typical 30–45 % (17–24°), our assumption; 19–21° measured on IGN LiDAR HD roofs of Montpellier (gisement geo/surface, 2026)"}
	pitchInterlocking = PitchDefault{Deg: 33, LowDeg: 25, HighDeg: 45, Covering: "tuiles mécaniques à emboîtement (interlocking clay tiles)",
		Source: "NF DTU 40.21 (tuiles de terre cuite à emboîtement ou à glissement à relief) and NF DTU 40.211 (à pureau plat): minimum slopes set per tile model, zone and situation, typically 35–60 % (19–31°), lower under the 2015 low-slope professional rules (UNCP-FFB/CTMNC); typical 30–45° (our assumption)"}
	pitchSteep = PitchDefault{Deg: 40, LowDeg: 30, HighDeg: 55, Covering: "ardoises / tuiles plates (slate, flat tiles)",
		Source: "NF DTU 40.23 (tuiles plates de terre cuite, 1996), table 1: minimum slopes 0.70–1.25 m/m (35–51°) by zone and situation for rafters up to 8 m, lower with an underlay (table 2); NF DTU 40.11 (ardoises naturelles): minimum slopes by zone, situation and rafter length; typical 35–50° (our assumption)"}
)

// pitchByDept maps metropolitan département codes to the canal-tile and
// steep (slate/flat tile) families; the others take interlocking tiles.
var pitchByDept = func() map[string]*PitchDefault {
	m := map[string]*PitchDefault{}
	for _, d := range strings.Fields("04 06 07 09 11 12 13 16 17 24 26 30 31 32 33 34 40 46 47 48 64 65 66 81 82 83 84 2A 2B") {
		m[d] = &pitchCanal
	}
	for _, d := range strings.Fields("02 05 08 10 14 18 21 22 25 27 28 29 35 36 37 39 41 45 50 51 52 53 54 55 56 57 58 59 60 61 62 67 68 70 72 73 74 75 76 77 78 80 88 89 90 91 92 93 94 95") {
		m[d] = &pitchSteep
	}
	return m
}()

// ModelledPitch returns the regional default pitch for a building of the
// département dept ("34", "2A", or an INSEE commune code such as "34172",
// whose first two characters, or three for overseas "97x", are taken). The
// families: canal tiles around the Mediterranean, the Rhône valley south of
// Valence and the south-west (20°, 15–25°); slate and flat tiles in the
// north, north-west, east, Paris basin and Alps (40°, 30–55°); interlocking
// tiles elsewhere (33°, 25–45°). The map is a simplification of regional
// practice: 20th-century interlocking tiles are found everywhere, and a
// département can mix families (the Dordogne, mapped to canal tiles, has
// steep flat-tile and lauze roofs in the Périgord noir). Overseas
// départements (971–976, mostly sheet-metal roofs of 15–25°) get the
// canal-tile range. Unknown codes are an error.
func ModelledPitch(dept string) (PitchDefault, error) {
	d := strings.ToUpper(strings.TrimSpace(dept))
	switch {
	case strings.HasPrefix(d, "97") && len(d) >= 3:
		p := pitchCanal
		p.Covering = "tôle (sheet metal, overseas)"
		p.Source = "our assumption for overseas départements (sheet-metal roofs of 15–25°)"
		return p, nil
	case len(d) >= 2:
		d = d[:2]
	default:
		return PitchDefault{}, fmt.Errorf("département code %q: want two characters (\"34\", \"2A\") or an INSEE commune code", dept)
	}
	if p, ok := pitchByDept[d]; ok {
		return *p, nil
	}
	if n := d[0]; n >= '0' && n <= '9' && d[1] >= '0' && d[1] <= '9' && d != "00" && d != "20" && d <= "95" {
		return pitchInterlocking, nil
	}
	return PitchDefault{}, fmt.Errorf("département code %q is not a metropolitan or overseas département", dept)
}
