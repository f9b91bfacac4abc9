package study

// Data-source attribution detected from the inputs (issue 13): the annex
// and the map credit the sources the study actually used, with the notice
// their licences require (ODbL for OpenStreetMap, CC BY 4.0 for
// SolaireSimple, Licence Ouverte for IGN, CSTB and DGFiP data, the PVGIS
// acknowledgement). Detection reads the attribute names of the first
// features of each input, never its path: no machine path is stored.

import (
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/vector"
)

// Attribution is one data source of a study, with its licence and the
// notice the licence asks for (JSON keys as the annex's source table).
type Attribution struct {
	// Input is the study input it was detected in (buildings, parcels,
	// boundaries, weather, irradiance).
	Input       string `json:"input"`
	Name        string `json:"name"`
	Content     string `json:"content"`
	Origin      string `json:"origin"`
	Licence     string `json:"licence"`
	Attribution string `json:"attribution"`
}

// Known sources (name, content, origin, licence, notice).
var (
	srcOSM = Attribution{Name: "OpenStreetMap", Content: "Emprises des bâtiments",
		Origin: "contributeurs OpenStreetMap (export des objets building)", Licence: "Open Database License (ODbL) 1.0",
		Attribution: "© OpenStreetMap contributors (ODbL)"}
	srcBDNB = Attribution{Name: "BDNB (Base de données nationale des bâtiments)", Content: "Emprises et hauteurs des bâtiments, codes commune et IRIS",
		Origin: "CSTB — BDNB, sur les emprises IGN BD TOPO", Licence: "Licence Ouverte / Etalab 2.0",
		Attribution: "CSTB — BDNB ; IGN — BD TOPO"}
	srcBDTOPO = Attribution{Name: "BD TOPO — bâtiments", Content: "Emprises, hauteurs, étages, usages et logements des bâtiments",
		Origin: "IGN — BD TOPO (classe BATIMENT)", Licence: "Licence Ouverte / Etalab 2.0", Attribution: "© IGN — BD TOPO"}
	srcCadastre = Attribution{Name: "Plan cadastral (Etalab)", Content: "Parcelles cadastrales",
		Origin: "DGFiP — plan cadastral informatisé, diffusé par Etalab (cadastre.data.gouv.fr)", Licence: "Licence Ouverte 2.0",
		Attribution: "© DGFiP — cadastre (Etalab)"}
	srcAdmin = Attribution{Name: "Limites communales", Content: "Contours des communes",
		Origin: "IGN — ADMIN EXPRESS (objet COMMUNE)", Licence: "Licence Ouverte 2.0", Attribution: "© IGN — ADMIN EXPRESS"}
	srcSolaireSimple = Attribution{Name: "Irradiation par commune (SolaireSimple)", Content: "Irradiation horizontale annuelle et trimestrielle par commune",
		Origin: "SolaireSimple (2025), « Données d'irradiation solaire par commune »", Licence: "Creative Commons Attribution 4.0 (CC BY 4.0)",
		Attribution: "SolaireSimple (2025), CC BY 4.0"}
	srcPVGIS = Attribution{Name: "PVGIS", Content: "Année météorologique type ou séries horaires",
		Origin: "Commission européenne, Centre commun de recherche (JRC) — PVGIS", Licence: "réutilisation autorisée avec mention de la source",
		Attribution: "PVGIS © European Union"}
	srcTMYx = Attribution{Name: "Année météorologique type (TMYx)", Content: "Météo horaire (rayonnement, température)",
		Origin: "Climate.OneBuilding.org ISD-TMYx, d'après NOAA NCEI ISD", Licence: "aucune licence de données indiquée par le fichier",
		Attribution: "Climate.OneBuilding.org TMYx, from NOAA ISD"}
)

// detectAttribution lists the sources of the study's inputs.
func detectAttribution(o *Options) []Attribution {
	var out []Attribution
	add := func(input string, a Attribution) {
		a.Input = input
		out = append(out, a)
	}
	if o.BuildingsPath != "" {
		keys := propKeys(o.BuildingsPath)
		switch {
		case keys.any("osm_id", "@id", "osm_way_id", "fclass", "building", "building:levels"):
			add("buildings", srcOSM)
		case keys.any("batiment_g", "batiment_groupe_id", "batiment_c", "batiment_construction_id", "fictive_ge", "fictive_geom_cstr"):
			add("buildings", srcBDNB)
		case keys.any("cleabs", "nb_etages", "usage1", "nb_logts", "date_app"):
			add("buildings", srcBDTOPO)
		default:
			add("buildings", Attribution{Name: "Emprises des bâtiments", Content: "Emprises des bâtiments",
				Origin: "fichier fourni par l'utilisateur (" + filepath.Base(o.BuildingsPath) + ")", Licence: "non indiquée", Attribution: "source non identifiée"})
		}
	}
	if o.ParcelsPath != "" {
		keys := propKeys(o.ParcelsPath)
		if keys.any("contenance", "numero", "section") {
			add("parcels", srcCadastre)
		} else {
			a := srcCadastre
			a.Name, a.Origin = "Parcelles (géométrie seule)", "plan cadastral (fichier sans identifiant de parcelle : "+filepath.Base(o.ParcelsPath)+")"
			add("parcels", a)
		}
	}
	if o.BoundariesPath != "" {
		add("boundaries", srcAdmin)
	}
	if o.WeatherPath != "" {
		name := strings.ToLower(filepath.Base(o.WeatherPath))
		switch {
		case strings.Contains(name, "pvgis") || strings.Contains(name, "tmy_") || strings.HasPrefix(name, "timeseries"):
			add("weather", srcPVGIS)
		case strings.Contains(name, ".epw"):
			add("weather", srcTMYx)
		default:
			add("weather", Attribution{Name: "Année météorologique", Content: "Météo horaire", Origin: "fichier fourni par l'utilisateur (" + filepath.Base(o.WeatherPath) + ")",
				Licence: "non indiquée", Attribution: "source non identifiée"})
		}
	}
	if o.IrradiancePath != "" {
		name := strings.ToLower(filepath.Base(o.IrradiancePath))
		if strings.Contains(name, "solairesimple") || strings.Contains(name, "irradiation_grid") || strings.Contains(name, "irradiation-par-commune") {
			add("irradiance", srcSolaireSimple)
		} else {
			add("irradiance", Attribution{Name: "Grille d'irradiation", Content: "Irradiation par lieu", Origin: "fichier fourni par l'utilisateur (" + filepath.Base(o.IrradiancePath) + ")",
				Licence: "non indiquée", Attribution: "source non identifiée"})
		}
	}
	return out
}

// keySet is the lower-cased attribute names of a file's first features.
type keySet map[string]bool

func (k keySet) any(names ...string) bool {
	for _, n := range names {
		if k[strings.ToLower(n)] {
			return true
		}
	}
	return false
}

// propKeys reads the attribute names (with a non-null value) of the first
// 50 features of a vector file; an unreadable file gives none (the loader
// has already reported it).
func propKeys(path string) keySet {
	ks := keySet{}
	rd, err := vector.Open(path, vector.OpenOptions{})
	if err != nil {
		return ks
	}
	defer rd.Close()
	for i := 0; i < 50; i++ {
		f, err := rd.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				continue
			}
			break
		}
		for k, v := range f.Props {
			if v != nil {
				ks[strings.ToLower(k)] = true
			}
		}
	}
	return ks
}

// baseNames returns the inputs with their file names only (no machine path
// is stored with a study or shown in an output).
func baseNames(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = filepath.Base(v)
	}
	return out
}

// withBaseFile returns a copy of a load report naming its file without
// the directory.
func withBaseFile(r *geo.LoadReport) *geo.LoadReport {
	c := *r
	c.File = filepath.Base(c.File)
	return &c
}
