package crs

import (
	"errors"
	"testing"
)

// FuzzParsePRJ: ParsePRJ, ParseName and EPSGFromWKT never panic; the first
// two return a supported code on success and wrap ErrUnsupported on failure.
func FuzzParsePRJ(f *testing.F) {
	for _, s := range []string{
		`PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5]]`,
		`GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]`,
		`PROJCS["RGF93 / Lambert-93",AUTHORITY["EPSG","2154"]]`,
		"urn:ogc:def:crs:EPSG::2154", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:27572", "", "PROJCS[",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c := EPSGFromWKT(s); c < 0 {
			t.Errorf("EPSGFromWKT(%q) = %d", s, c)
		}
		for name, parse := range map[string]func(string) (int, error){
			"ParsePRJ":  func(s string) (int, error) { c, _, err := ParsePRJ(s); return c, err },
			"ParseName": ParseName,
		} {
			code, err := parse(s)
			if err == nil && !Supported(code) {
				t.Errorf("%s(%q) = unsupported EPSG:%d without error", name, s, code)
			}
			if err != nil && !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s(%q): %v does not wrap ErrUnsupported", name, s, err)
			}
		}
	})
}
