package surface

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gisement/gisement/geo/raster"
)

// ErrMosaic is wrapped by errors about the set of surface-model files.
var ErrMosaic = errors.New("surface model")

// Mosaic is a set of north-up GeoTIFF tiles on one pixel lattice (the IGN
// LiDAR HD MNS/MNT tiles are 1 km × 1 km, 2000 × 2000 cells of 0.5 m, named
// after their corner). Only the headers are kept; pixels are read per window.
type Mosaic struct {
	files []mosaicFile
	// PixelM is the cell size (m); EPSG the CRS (2154).
	PixelM float64
	EPSG   int
	// Bounds is the union of the tiles' extents.
	Bounds raster.Bounds
	ox, oy float64 // lattice origin (first tile's top-left corner)
}

type mosaicFile struct {
	path string
	info raster.Grid
	b    raster.Bounds
}

// OpenMosaic opens the surface-model tiles named by paths: files, or
// directories whose *.tif / *.tiff files are all taken. Every tile must be a
// single-band GeoTIFF in Lambert-93 (EPSG:2154) with square cells of the same
// size on the same lattice; the error names the offending file.
func OpenMosaic(paths ...string) (*Mosaic, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMosaic, err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMosaic, err)
		}
		n := 0
		for _, e := range ents {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".tif" || ext == ".tiff") {
				files = append(files, filepath.Join(p, e.Name()))
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: directory %s holds no .tif file", ErrMosaic, p)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no file given", ErrMosaic)
	}
	sort.Strings(files)
	m := &Mosaic{}
	for i, f := range files {
		g, err := raster.OpenGeoTIFF(f)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMosaic, err)
		}
		info := g.Info
		g.Close()
		if info.EPSG != 2154 {
			return nil, fmt.Errorf("%w: %s: CRS EPSG:%d, expected Lambert-93 (EPSG:2154) as the IGN LiDAR HD products", ErrMosaic, f, info.EPSG)
		}
		if info.PixelSizeY >= 0 || math.Abs(info.PixelSizeX+info.PixelSizeY) > 1e-9*info.PixelSizeX {
			return nil, fmt.Errorf("%w: %s: cells %g × %g m, expected square north-up cells", ErrMosaic, f, info.PixelSizeX, -info.PixelSizeY)
		}
		if i == 0 {
			m.PixelM, m.EPSG, m.ox, m.oy = info.PixelSizeX, info.EPSG, info.OriginX, info.OriginY
			m.Bounds = info.Bounds()
		} else {
			if math.Abs(info.PixelSizeX-m.PixelM) > 1e-9*m.PixelM {
				return nil, fmt.Errorf("%w: %s: %g m cells, %s has %g m", ErrMosaic, f, info.PixelSizeX, files[0], m.PixelM)
			}
			if fx, fy := (info.OriginX-m.ox)/m.PixelM, (info.OriginY-m.oy)/m.PixelM; math.Abs(fx-math.Round(fx)) > 1e-6 || math.Abs(fy-math.Round(fy)) > 1e-6 {
				return nil, fmt.Errorf("%w: %s: origin (%g, %g) is not on the cell lattice of %s", ErrMosaic, f, info.OriginX, info.OriginY, files[0])
			}
			b := info.Bounds()
			m.Bounds.MinX, m.Bounds.MinY = math.Min(m.Bounds.MinX, b.MinX), math.Min(m.Bounds.MinY, b.MinY)
			m.Bounds.MaxX, m.Bounds.MaxY = math.Max(m.Bounds.MaxX, b.MaxX), math.Max(m.Bounds.MaxY, b.MaxY)
		}
		m.files = append(m.files, mosaicFile{path: f, info: info, b: info.Bounds()})
	}
	return m, nil
}

// Files returns the tile paths, sorted.
func (m *Mosaic) Files() []string {
	out := make([]string, len(m.files))
	for i, f := range m.files {
		out[i] = f.path
	}
	return out
}

// Window reads the cells of the mosaic covering b (snapped outwards to the
// lattice) into one grid; cells no tile covers, and no-data cells, are NaN.
// It returns nil when b misses every tile. Each tile is opened, the blocks
// touching the window decoded, and closed again.
func (m *Mosaic) Window(b raster.Bounds) (*raster.Grid, error) {
	b.MinX, b.MinY = math.Max(b.MinX, m.Bounds.MinX), math.Max(b.MinY, m.Bounds.MinY)
	b.MaxX, b.MaxY = math.Min(b.MaxX, m.Bounds.MaxX), math.Min(b.MaxY, m.Bounds.MaxY)
	if b.MinX >= b.MaxX || b.MinY >= b.MaxY {
		return nil, nil
	}
	p := m.PixelM
	c0 := math.Floor((b.MinX - m.ox) / p)
	c1 := math.Ceil((b.MaxX - m.ox) / p)
	r0 := math.Floor((m.oy - b.MaxY) / p)
	r1 := math.Ceil((m.oy - b.MinY) / p)
	w, h := int(c1-c0), int(r1-r0)
	out, err := raster.NewGrid(w, h, m.ox+c0*p, m.oy-r0*p, p, -p, m.EPSG, math.NaN())
	if err != nil {
		return nil, fmt.Errorf("%w: window: %v", ErrMosaic, err)
	}
	ob := out.Bounds()
	for _, f := range m.files {
		if f.b.MaxX <= ob.MinX || f.b.MinX >= ob.MaxX || f.b.MaxY <= ob.MinY || f.b.MinY >= ob.MaxY {
			continue
		}
		g, err := raster.OpenGeoTIFF(f.path)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMosaic, err)
		}
		// Shrink by a quarter cell so that edges on the lattice do not pull
		// in a neighbouring row or column.
		q := p / 4
		col0, row0, ww, wh, ok := g.WindowOf(raster.Bounds{MinX: ob.MinX + q, MinY: ob.MinY + q, MaxX: ob.MaxX - q, MaxY: ob.MaxY - q})
		if !ok {
			g.Close()
			continue
		}
		win, err := g.ReadWindow(col0, row0, ww, wh)
		g.Close()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMosaic, err)
		}
		dc := int(math.Round((win.OriginX - out.OriginX) / p))
		dr := int(math.Round((out.OriginY - win.OriginY) / p))
		for r := 0; r < wh; r++ {
			for c := 0; c < ww; c++ {
				v := win.Data[r*ww+c]
				if win.IsNoData(v) {
					continue
				}
				out.Data[(dr+r)*w+dc+c] = v
			}
		}
	}
	return out, nil
}
