// Package insee knows the French commune codes (code officiel géographique,
// COG, INSEE) that a territory study needs beyond a plain string: the
// municipal arrondissements of Paris, Lyon and Marseille and their parent
// communes, and commune names.
//
// Paris (75056), Lyon (69123) and Marseille (13055) are each one commune but
// are divided into municipal arrondissements with their own INSEE codes
// (Paris 75101–75120, Lyon 69381–69389, Marseille 13201–13216; loi PLM
// n° 82-1169 du 31 décembre 1982). Sources mix the two levels: the BDNB
// gives "code_commune_insee" 75056 for a building whose parcel id starts
// with 75111, the Etalab cadastre files are per arrondissement (75118), the
// commune boundaries of Admin Express have the communes and, in a separate
// layer, the arrondissements. A study or report asked for 75111 or for
// 75056 must find the same buildings: Members lists the codes that make up
// a commune, Parent goes the other way.
//
// Names come from the COG for the arrondissements (built here from their
// rule, "Paris 11e Arrondissement") and from the per-commune irradiation
// table embedded in the binary (SolaireSimple 2025, CC BY 4.0) for the
// other communes.
package insee

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/gisement/gisement/data/sample"
)

// plm lists the three communes with municipal arrondissements: INSEE code
// of the commune, its name, the first arrondissement code and their count
// (COG 2024, INSEE).
var plm = []struct {
	commune, name string
	first, n      int
}{
	{"75056", "Paris", 75101, 20},
	{"69123", "Lyon", 69381, 9},
	{"13055", "Marseille", 13201, 16},
}

// Parent returns the commune a municipal arrondissement belongs to
// (75111 → 75056, 69383 → 69123, 13201 → 13055), or code itself.
func Parent(code string) string {
	for _, p := range plm {
		for k := 0; k < p.n; k++ {
			if code == fmt.Sprint(p.first+k) {
				return p.commune
			}
		}
	}
	return code
}

// IsArrondissement reports whether code is a municipal arrondissement of
// Paris, Lyon or Marseille.
func IsArrondissement(code string) bool { return Parent(code) != code }

// HasArrondissements reports whether code is Paris, Lyon or Marseille.
func HasArrondissements(code string) bool {
	for _, p := range plm {
		if p.commune == code {
			return true
		}
	}
	return false
}

// Members returns the codes whose features make up code: for Paris, Lyon
// and Marseille the commune code itself and all its arrondissements, for
// any other code just code.
func Members(code string) []string {
	for _, p := range plm {
		if p.commune == code {
			out := []string{code}
			for k := 0; k < p.n; k++ {
				out = append(out, fmt.Sprint(p.first+k))
			}
			return out
		}
	}
	return []string{code}
}

var (
	namesOnce sync.Once
	names     map[string]string
)

// Name returns the commune or arrondissement name of code ("" when
// unknown): "Paris", "Paris 11e Arrondissement", "Périgueux".
func Name(code string) string {
	for _, p := range plm {
		if p.commune == code {
			return p.name
		}
		for k := 0; k < p.n; k++ {
			if code == fmt.Sprint(p.first+k) {
				if k == 0 {
					return p.name + " 1er Arrondissement"
				}
				return fmt.Sprintf("%s %de Arrondissement", p.name, k+1)
			}
		}
	}
	namesOnce.Do(func() { names, _ = readNames() })
	return names[code]
}

// readNames reads code_insee → commune from the embedded irradiation table.
func readNames() (map[string]string, error) {
	f, err := sample.FS.Open(sample.Irradiation)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return parseNames(zr)
}

// parseNames reads a CSV with columns code_insee and commune (first row
// a header); the first name of a code wins (the table has one row per
// postcode).
func parseNames(r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	ci, ni := -1, -1
	for i, h := range head {
		switch strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) {
		case "code_insee":
			ci = i
		case "commune":
			ni = i
		}
	}
	if ci < 0 || ni < 0 {
		return nil, fmt.Errorf("names: header has no code_insee and commune columns")
	}
	out := map[string]string{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if ci >= len(rec) || ni >= len(rec) {
			continue
		}
		code, name := strings.TrimSpace(rec[ci]), strings.TrimSpace(rec[ni])
		if _, ok := out[code]; !ok && code != "" && name != "" {
			out[code] = name
		}
	}
}
