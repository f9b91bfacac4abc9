package study

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/geo/vector"
	"github.com/gisement/gisement/model/land"
	"github.com/gisement/gisement/solar/weather"
)

// MaxWeatherDistanceKm is the distance between the weather station and the
// territory beyond which the study adds a warning (the weather year no
// longer represents the site; use --irradiance to scale it). Our assumption.
const MaxWeatherDistanceKm = 300

// territoryCentreWGS84 returns the centre of the buildings' bounds as
// [lon, lat] degrees.
func territoryCentreWGS84(t *geo.Territory) orb.Point {
	var b orb.Bound
	for i, bd := range t.Buildings {
		if i == 0 {
			b = orb.Bound{Min: bd.Centroid, Max: bd.Centroid}
		} else {
			b = b.Extend(bd.Centroid)
		}
	}
	toWGS, err := crs.FromLambert93(crs.EPSG4326)
	if err != nil {
		return orb.Point{math.NaN(), math.NaN()}
	}
	return toWGS(b.Center())
}

// checkWeatherSite rejects a weather year from the other hemisphere (its
// seasons are inverted: every monthly figure and the heating season would
// be wrong) and one whose station is far from the territory when no
// irradiance grid scales it (unless allowFar: then a warning).
func checkWeatherSite(ws *weather.Series, centre orb.Point, scaled, allowFar bool, r *Result) error {
	if math.IsNaN(ws.LatDeg) || math.IsNaN(ws.LonDeg) {
		return fmt.Errorf("%w: weather %s: the file gives no site latitude/longitude", ErrInput, ws.Source)
	}
	lat := centre.Lat()
	if math.IsNaN(lat) {
		return nil
	}
	if (ws.LatDeg >= 0) != (lat >= 0) {
		return fmt.Errorf("%w: weather %s: the station is at latitude %.3f° (%s hemisphere) but the territory is at %.3f° (%s hemisphere): seasons would be inverted",
			ErrInput, ws.Source, ws.LatDeg, hemisphere(ws.LatDeg), lat, hemisphere(lat))
	}
	// With an irradiance grid the year is scaled to every place (its
	// irradiation; temperatures are the station's): no check then.
	// Without one, a station this far describes another climate: the study
	// stops (input coherence, issue 13) unless allowFar.
	if d := haversineKm(ws.LatDeg, ws.LonDeg, lat, centre.Lon()); d > MaxWeatherDistanceKm && !scaled {
		msg := fmt.Sprintf("weather station %s is %.0f km from the territory (more than %d km) and no irradiance grid scales it: its year does not describe the territory's climate; pass --irradiance-grid (a GeoTIFF or the per-commune irradiation CSV), a --weather file nearer the territory (e.g. a PVGIS TMY of the commune), or no --weather (the embedded year scaled to the territory)",
			filepath.Base(ws.Source), d, MaxWeatherDistanceKm)
		if !allowFar {
			return &CoherenceError{Msg: msg, Flag: "--allow-distant-weather"}
		}
		r.Warnings = append(r.Warnings, msg+" — run anyway (--allow-distant-weather)")
	}
	return nil
}

func hemisphere(lat float64) string {
	if lat >= 0 {
		return "northern"
	}
	return "southern"
}

// haversineKm is the great-circle distance on a sphere of radius 6371 km.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// TerrainObserverHeightM is the observer height above ground used for the
// terrain horizon (one value per 250 m cell shared by all roofs in it):
// a typical roof height (our assumption; the far horizon varies little with it).
const TerrainObserverHeightM = 6

// terrainFunc adapts raster.TerrainHorizon to geo.HorizonOptions.Terrain
// (Lambert-93 points).
func terrainFunc(dem *raster.Grid, sectors int) func(x, y float64) []float64 {
	toWGS, err := crs.FromLambert93(crs.EPSG4326)
	if err != nil {
		return nil
	}
	return func(x, y float64) []float64 {
		p := toWGS(orb.Point{x, y})
		return raster.TerrainHorizon(dem, p.Lon(), p.Lat(), TerrainObserverHeightM, raster.HorizonOptions{Sectors: sectors})
	}
}

// defaultID derives a stable study id from the input files (names, sizes,
// modification times) and the scenario hash: the same inputs give the same
// id, so writing the study again replaces it.
func defaultID(o Options, scenarioHash string) string {
	h := sha256.New()
	for _, p := range []string{o.BuildingsPath, o.ParcelsPath, o.WeatherPath, o.BoundariesPath, o.ZonesPath, o.IrradiancePath, o.DEMPath} {
		fmt.Fprintf(h, "%s|", p)
		st, err := os.Stat(p)
		if o.FS != nil && p != o.DEMPath {
			st, err = fs.Stat(o.FS, p)
		}
		if err == nil {
			fmt.Fprintf(h, "%d|%d|", st.Size(), st.ModTime().UnixNano())
		}
	}
	fmt.Fprint(h, scenarioHash)
	return "s-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// Zone is a polygon of a constraint or planning layer, in Lambert-93.
type Zone struct {
	Name, Kind string
	Geometry   orb.MultiPolygon
	Bound      orb.Bound
}

// Commune is a commune outline in Lambert-93.
type Commune struct {
	INSEE, Name string
	Geometry    orb.MultiPolygon
}

func firstString(props map[string]any, keys ...string) string {
	for _, k := range keys {
		for pk, v := range props {
			if strings.EqualFold(pk, k) && v != nil {
				s := strings.TrimSpace(fmt.Sprint(v))
				if s != "" {
					return s
				}
			}
		}
	}
	return ""
}

func asMulti(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch v := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{v}, true
	case orb.MultiPolygon:
		return v, true
	}
	return nil, false
}

// readPolygons streams a polygon layer, projected to Lambert-93. A feature
// without a polygon geometry is an error naming it (zones and outlines are
// few and hand-made: a bad one must be fixed, not skipped).
func readPolygons(fsys fs.FS, path string, fn func(f vector.Feature, mp orb.MultiPolygon) error) error {
	rd, err := vector.Open(path, vector.OpenOptions{FS: fsys})
	if err != nil {
		return err
	}
	defer rd.Close()
	proj, err := crs.ToLambert93(rd.Info().EPSG)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for {
		f, err := rd.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		mp, ok := asMulti(f.Geometry)
		if !ok {
			return fmt.Errorf("%s: feature %d (id %q): geometry is %T, want Polygon or MultiPolygon", path, f.Index, f.ID, f.Geometry)
		}
		mp = crs.Project(mp, proj).(orb.MultiPolygon)
		if err := fn(f, mp); err != nil {
			return err
		}
	}
}

// loadZones reads the zones layer ("" = none).
func loadZones(fsys fs.FS, path string) ([]Zone, error) {
	if path == "" {
		return nil, nil
	}
	var zs []Zone
	err := readPolygons(fsys, path, func(f vector.Feature, mp orb.MultiPolygon) error {
		z := Zone{Name: firstString(f.Props, "name", "nom", "libelle", "id"), Kind: strings.ToLower(firstString(f.Props, "kind", "type", "zone", "classe")),
			Geometry: mp, Bound: mp.Bound()}
		if z.Name == "" {
			z.Name = fmt.Sprintf("zone %d", f.Index+1)
		}
		zs = append(zs, z)
		return nil
	})
	return zs, err
}

// loadCommunes reads commune outlines ("" = none).
func loadCommunes(fsys fs.FS, path string) ([]Commune, error) {
	if path == "" {
		return nil, nil
	}
	var cs []Commune
	err := readPolygons(fsys, path, func(f vector.Feature, mp orb.MultiPolygon) error {
		c := Commune{INSEE: firstString(f.Props, "INSEE_COM", "code_insee", "insee", "code"), Name: firstString(f.Props, "NOM", "nom", "name", "NOM_COM"), Geometry: mp}
		if c.INSEE == "" {
			return fmt.Errorf("%s: feature %d: no INSEE code (property INSEE_COM, code_insee, insee or code)", path, f.Index)
		}
		cs = append(cs, c)
		return nil
	})
	sort.Slice(cs, func(i, j int) bool { return cs[i].INSEE < cs[j].INSEE })
	return cs, err
}

// checkParcelLayer warns when the parcel layer looks like building
// polygons rather than cadastral parcels: its median polygon is no larger
// than 1.5 × the median building footprint (a parcel normally holds a
// building plus its garden, yard or street frontage). Free land (ground PV,
// outdoor units, boreholes) is then underestimated. The Périgueux parcel
// file shipped as the sample shows it: median 72 m² against 95 m² for the
// footprints, 1.75 km² in all for a 9.8 km² commune.
func checkParcelLayer(t *geo.Territory) string {
	if len(t.Parcels) < 20 || len(t.Buildings) < 20 {
		return ""
	}
	pa := make([]float64, len(t.Parcels))
	for i := range t.Parcels {
		pa[i] = t.Parcels[i].AreaM2
	}
	ba := make([]float64, len(t.Buildings))
	for i := range t.Buildings {
		ba[i] = t.Buildings[i].FootprintM2
	}
	return checkParcelAreas(pa, ba, parcelCover(t.Parcels))
}

// checkParcelAreas is checkParcelLayer on the parcel areas pa, the
// footprint areas ba and the parcels' cover of their bounds (parcelCover).
func checkParcelAreas(pa, ba []float64, cover float64) string {
	if len(pa) < 20 || len(ba) < 20 {
		return ""
	}
	mp, mb := quantiles(pa, 0.5)[0], quantiles(ba, 0.5)[0]
	// Both signs are needed: in a dense city real parcels are hardly larger
	// than the buildings on them (Paris 18e: median 230 m² against 225 m²
	// for the Paris 11e footprints) but they still tile the land
	// (parcelCover, MinParcelCover).
	if mp <= 1.5*mb && cover < MinParcelCover {
		return fmt.Sprintf("the parcel layer looks like building polygons, not cadastral parcels (median polygon %.0f m² vs median footprint %.0f m²; the polygons cover %.0f %% of their extent, cadastral parcels over %.0f %%): free-land results (outdoor units, boreholes) are underestimated", mp, mb, 100*cover, 100*MinParcelCover)
	}
	return ""
}

// loadCarParks reads the car-park layer ("" = none).
func loadCarParks(fsys fs.FS, path string) ([]land.CarPark, error) {
	if path == "" {
		return nil, nil
	}
	var cs []land.CarPark
	err := readPolygons(fsys, path, func(f vector.Feature, mp orb.MultiPolygon) error {
		id := f.ID
		if id == "" {
			id = firstString(f.Props, "id", "name", "nom")
		}
		if id == "" {
			id = fmt.Sprintf("carpark-%d", f.Index+1)
		}
		cs = append(cs, land.CarPark{ID: id, Geometry: mp})
		return nil
	})
	return cs, err
}

// clipTerritory keeps the buildings and parcels whose centroid lies in area
// (EPSG:4326), then builds the indexes and the building→parcel assignment
// (Run calls it on the loaded, not yet assigned, territory). What is left
// out is reported as a warning.
func clipTerritory(t *geo.Territory, area orb.Geometry, r *Result) error {
	mp, ok := asMulti(area)
	if !ok {
		return fmt.Errorf("area is a %T, want a Polygon or MultiPolygon", area)
	}
	proj, err := crs.ToLambert93(crs.EPSG4326)
	if err != nil {
		return err
	}
	mp = crs.Project(mp, proj).(orb.MultiPolygon)
	bound := mp.Bound()
	inside := func(p orb.Point) bool { return bound.Contains(p) && planar.MultiPolygonContains(mp, p) }
	bs := t.Buildings[:0:0]
	for _, b := range t.Buildings {
		if inside(b.Centroid) {
			b.ParcelID = ""
			bs = append(bs, b)
		}
	}
	ps := t.Parcels[:0:0]
	for _, p := range t.Parcels {
		if c, _ := planar.CentroidArea(p.Geometry); inside(c) {
			p.BuildingIdx = nil
			ps = append(ps, p)
		}
	}
	if len(bs) == 0 {
		return fmt.Errorf("no building of %s has its centroid in the area", t.BuildingReport.File)
	}
	r.Warnings = append(r.Warnings, fmt.Sprintf("study area: kept %d of %d buildings and %d of %d parcels (centroid inside)",
		len(bs), len(t.Buildings), len(ps), len(t.Parcels)))
	t.Buildings, t.Parcels = bs, ps
	t.BuildingIndex = geo.IndexBuildings(t.Buildings)
	t.ParcelIndex = geo.IndexParcels(t.Parcels)
	if len(t.Parcels) > 0 {
		t.Assignment = geo.AssignBuildings(t.Buildings, t.Parcels, t.ParcelIndex)
	}
	return nil
}
