package report

// Source is one data source of the study, with its licence and the
// attribution its licence asks for.
type Source struct {
	Name, Content, Origin, Licence, Attribution string
}

// DefaultSources are the sources of the embedded Périgueux sample territory,
// as documented in data/sample/README.md (provenance in
// shared/data/SOURCES.md). A study built from other inputs passes its own
// list in Options.Sources.
func DefaultSources() []Source {
	return []Source{
		{Name: "BDNB (Base de données nationale des bâtiments)", Content: "Emprises et hauteurs des bâtiments, code IRIS",
			Origin: "CSTB — BDNB, sur les emprises IGN BD TOPO", Licence: "Licence Ouverte / Etalab 2.0",
			Attribution: "CSTB — BDNB ; IGN — BD TOPO"},
		{Name: "Plan cadastral", Content: "Géométrie des parcelles", Origin: "DGFiP — cadastre",
			Licence: "Licence Ouverte 2.0", Attribution: "© DGFiP — cadastre"},
		{Name: "ADMIN EXPRESS — communes", Content: "Limite communale", Origin: "IGN — ADMIN EXPRESS (objet COMMUNE)",
			Licence: "Licence Ouverte 2.0", Attribution: "© IGN — ADMIN EXPRESS"},
		{Name: "Année météorologique type (TMYx)", Content: "Météo horaire (rayonnement, température)",
			Origin:  "Climate.OneBuilding.org ISD-TMYx, d'après NOAA NCEI ISD (2005-2019), station La Rochelle (WMO 073160)",
			Licence: "aucune licence de données indiquée par le fichier", Attribution: "Climate.OneBuilding.org TMYx, from NOAA ISD"},
	}
}
