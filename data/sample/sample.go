// Package sample embeds the sample territory shipped with the binary:
// Périgueux (INSEE 24322, Dordogne) building footprints (BDNB), cadastral
// parcel geometries, the commune boundary, and a typical-year weather file
// (La Rochelle TMYx, the nearest station file we hold). All files are real
// public data, gzip-compressed; README.md gives origin, licence and
// attribution of each.
package sample

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed *.gz
var files embed.FS

// FS holds the sample files (gzip-compressed) at its root.
var FS fs.FS = files

// Sample territory identity.
const (
	INSEE      = "24322"
	CommuneNom = "Périgueux"
)

// File names in FS (all gzip-compressed).
const (
	// Buildings: 10,381 BDNB footprints (EPSG:4326 GeoJSON) with height,
	// footprint area and the BDNB group id (whose first 14 characters are
	// the parcel IDU).
	Buildings = "perigueux_24322_bdnb_buildings.geojson.gz"
	// Parcels: 15,323 cadastral parcel polygons (EPSG:4326 GeoJSON),
	// geometry only, no parcel id (see README.md).
	Parcels = "perigueux_24322_parcel_geometries_noattr.geojson.gz"
	// Commune: the Périgueux boundary, one Polygon (EPSG:4326 GeoJSON).
	Commune = "perigueux_24322_commune_wgs84.geojson.gz"
	// Weather: EnergyPlus EPW typical year, La Rochelle airport (WMO 073160).
	Weather = "FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz"
	// Irradiation: annual horizontal irradiation per commune (SolaireSimple
	// 2025, CC BY 4.0), used to scale the weather year to Périgueux.
	Irradiation = "solairesimple_irradiation_communes_2025-10.csv.gz"
)

// Names lists the sample files.
var Names = []string{Buildings, Parcels, Commune, Weather, Irradiation}

// Materialize writes the sample files into dir (gzip-compressed, as
// embedded) and returns their paths keyed by name, for readers that need
// paths. dir must exist; use os.MkdirTemp for a temporary one.
func Materialize(dir string) (map[string]string, error) {
	out := make(map[string]string, len(Names))
	for _, name := range Names {
		p := filepath.Join(dir, name)
		if err := copyOut(name, p); err != nil {
			return nil, fmt.Errorf("sample: %s: %w", name, err)
		}
		out[name] = p
	}
	return out, nil
}

func copyOut(name, path string) error {
	in, err := FS.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, in); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CachePath is where Cached keeps a copy of the embedded file name: the
// user cache directory (os.UserCacheDir, else the temporary directory)
// under gisement/embedded-weather. The path is stable across runs, so that
// a study id derived from input paths stays the same.
func CachePath(name string) string {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "gisement", "embedded-weather", name)
}

// Cached returns the path of a copy of the embedded file name (one of
// Names) at CachePath, written once (to a temporary file then renamed, so
// concurrent processes never read half a file), for readers that need a
// path: the default weather year of a study on the user's buildings, on
// the machine that plans it and on every worker that computes it.
func Cached(name string) (string, error) {
	p := CachePath(name)
	if st, err := os.Stat(p); err == nil && st.Size() > 0 {
		return p, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", fmt.Errorf("sample: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("sample: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := copyOut(name, tmp.Name()); err != nil {
		return "", fmt.Errorf("sample: %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return "", fmt.Errorf("sample: %w", err)
	}
	return p, nil
}
