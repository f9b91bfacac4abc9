// Package raster reads georeferenced grids (GeoTIFF, single- or multi-band,
// with GDAL metadata; ESRI ASCII grid) into a Grid, samples them bilinearly,
// builds an irradiation grid from the per-commune point field by
// inverse-distance weighting, reads irradiance/climate grids (annual,
// seasonal irradiation and temperature bands with their units checked, see
// ClimateGrid), and computes the terrain horizon (elevation angle of the
// skyline per azimuth sector) from a digital elevation model.
//
// Conventions: a Grid is north-up, row 0 is the northernmost row; coordinates
// are in the grid's CRS (EPSG code in Grid.EPSG: 4326 = longitude/latitude in
// degrees, 2154 = Lambert-93 in metres). Azimuths are in degrees clockwise
// from north (90 = east, 180 = south); elevation angles in degrees above the
// horizontal; heights in metres; irradiation in kWh/m²·yr.
package raster

import (
	"errors"
	"fmt"
	"math"
)

// Grid is a georeferenced single-band raster of float64 cells.
//
// The affine geotransform has no rotation: the centre of cell (col,row) is at
//
//	x = OriginX + (col+0.5)·PixelSizeX,  y = OriginY + (row+0.5)·PixelSizeY
//
// where (OriginX, OriginY) is the outer top-left corner of cell (0,0) and
// PixelSizeY is negative for the usual north-up grid (GDAL convention).
type Grid struct {
	Width, Height int
	// OriginX, OriginY: top-left corner of the top-left cell, grid CRS units.
	OriginX, OriginY float64
	// PixelSizeX > 0; PixelSizeY < 0 for north-up grids (GDAL convention).
	PixelSizeX, PixelSizeY float64
	// EPSG code of the grid's CRS, 0 when unknown.
	EPSG int
	// NoData is the cell value marking "no data" when HasNoData; NaN cells
	// are always treated as no data.
	NoData    float64
	HasNoData bool
	// Data holds Width·Height cells, row-major, row 0 first.
	Data []float64
}

// Bounds is an axis-aligned rectangle in a grid's CRS units.
type Bounds struct {
	MinX, MinY, MaxX, MaxY float64
}

// Contains reports whether (x, y) lies in the closed rectangle.
func (b Bounds) Contains(x, y float64) bool {
	return x >= b.MinX && x <= b.MaxX && y >= b.MinY && y <= b.MaxY
}

// ErrInvalidGrid is wrapped by errors about an inconsistent Grid.
var ErrInvalidGrid = errors.New("invalid grid")

// NewGrid returns a grid of width×height cells filled with fill.
func NewGrid(width, height int, originX, originY, pixelSizeX, pixelSizeY float64, epsg int, fill float64) (*Grid, error) {
	g := &Grid{Width: width, Height: height, OriginX: originX, OriginY: originY,
		PixelSizeX: pixelSizeX, PixelSizeY: pixelSizeY, EPSG: epsg}
	if err := g.checkGeometry(); err != nil {
		return nil, err
	}
	g.Data = make([]float64, width*height)
	if fill != 0 {
		for i := range g.Data {
			g.Data[i] = fill
		}
	}
	return g, nil
}

func (g *Grid) checkGeometry() error {
	switch {
	case g.Width <= 0 || g.Height <= 0:
		return fmt.Errorf("%w: size %d×%d", ErrInvalidGrid, g.Width, g.Height)
	case int64(g.Width)*int64(g.Height) > DefaultMaxPixels:
		return fmt.Errorf("%w: %d×%d cells exceeds the limit of %d", ErrInvalidGrid, g.Width, g.Height, int64(DefaultMaxPixels))
	case !(g.PixelSizeX > 0) || g.PixelSizeY == 0 || math.IsNaN(g.PixelSizeY) || math.IsInf(g.PixelSizeX, 0) || math.IsInf(g.PixelSizeY, 0):
		return fmt.Errorf("%w: pixel size %g×%g (x must be > 0, y non-zero)", ErrInvalidGrid, g.PixelSizeX, g.PixelSizeY)
	case math.IsNaN(g.OriginX) || math.IsNaN(g.OriginY) || math.IsInf(g.OriginX, 0) || math.IsInf(g.OriginY, 0):
		return fmt.Errorf("%w: origin (%g, %g) not finite", ErrInvalidGrid, g.OriginX, g.OriginY)
	}
	return nil
}

// IsNoData reports whether v is a no-data value for this grid.
func (g *Grid) IsNoData(v float64) bool {
	return math.IsNaN(v) || (g.HasNoData && v == g.NoData)
}

// At returns the value of cell (col, row) and false when the cell is outside
// the grid or holds no data.
func (g *Grid) At(col, row int) (float64, bool) {
	if col < 0 || row < 0 || col >= g.Width || row >= g.Height {
		return 0, false
	}
	v := g.Data[row*g.Width+col]
	if g.IsNoData(v) {
		return 0, false
	}
	return v, true
}

// Set stores v in cell (col, row); it is a no-op outside the grid.
func (g *Grid) Set(col, row int, v float64) {
	if col < 0 || row < 0 || col >= g.Width || row >= g.Height {
		return
	}
	g.Data[row*g.Width+col] = v
}

// Bounds returns the outer extent of the grid (cell edges, not centres).
func (g *Grid) Bounds() Bounds {
	x0, x1 := g.OriginX, g.OriginX+float64(g.Width)*g.PixelSizeX
	y0, y1 := g.OriginY, g.OriginY+float64(g.Height)*g.PixelSizeY
	return Bounds{MinX: math.Min(x0, x1), MinY: math.Min(y0, y1), MaxX: math.Max(x0, x1), MaxY: math.Max(y0, y1)}
}

// CellCentre returns the CRS coordinates of the centre of cell (col, row).
func (g *Grid) CellCentre(col, row int) (x, y float64) {
	return g.OriginX + (float64(col)+0.5)*g.PixelSizeX, g.OriginY + (float64(row)+0.5)*g.PixelSizeY
}

// CellOf returns the cell containing (x, y) and false when it is outside.
func (g *Grid) CellOf(x, y float64) (col, row int, ok bool) {
	fc := (x - g.OriginX) / g.PixelSizeX
	fr := (y - g.OriginY) / g.PixelSizeY
	if !(fc >= 0 && fr >= 0 && fc < float64(g.Width) && fr < float64(g.Height)) {
		return 0, 0, false
	}
	return int(fc), int(fr), true
}

// Nearest returns the value of the cell containing (x, y) (nearest cell
// centre), false when outside the grid or no data.
func (g *Grid) Nearest(x, y float64) (float64, bool) {
	c, r, ok := g.CellOf(x, y)
	if !ok {
		return 0, false
	}
	return g.At(c, r)
}

// Sample returns the bilinear interpolation at (x, y), in the grid's CRS,
// between the four cell centres surrounding the point.
//
// Rules:
//   - outside Bounds() → (0, false);
//   - in the outer half-cell border, the fractional position is clamped to
//     the edge cell centres (constant extrapolation, no data invented);
//   - no-data neighbours are dropped and the bilinear weights of the valid
//     ones renormalised to sum to 1; when the valid neighbours have a total
//     weight of zero (e.g. the point is exactly on a no-data cell centre) or
//     all four are no data → (0, false).
func (g *Grid) Sample(x, y float64) (float64, bool) {
	fc := (x-g.OriginX)/g.PixelSizeX - 0.5
	fr := (y-g.OriginY)/g.PixelSizeY - 0.5
	if !(fc >= -0.5 && fr >= -0.5 && fc <= float64(g.Width)-0.5 && fr <= float64(g.Height)-0.5) {
		return 0, false
	}
	fc = math.Min(math.Max(fc, 0), float64(g.Width-1))
	fr = math.Min(math.Max(fr, 0), float64(g.Height-1))
	c0, r0 := int(fc), int(fr)
	tx, ty := fc-float64(c0), fr-float64(r0)
	c1, r1 := c0+1, r0+1
	if c1 >= g.Width {
		c1 = c0
	}
	if r1 >= g.Height {
		r1 = r0
	}
	var sum, wsum float64
	add := func(c, r int, w float64) {
		if w == 0 {
			return
		}
		v := g.Data[r*g.Width+c]
		if g.IsNoData(v) {
			return
		}
		sum += w * v
		wsum += w
	}
	add(c0, r0, (1-tx)*(1-ty))
	add(c1, r0, tx*(1-ty))
	add(c0, r1, (1-tx)*ty)
	add(c1, r1, tx*ty)
	if wsum <= 0 {
		return 0, false
	}
	return sum / wsum, true
}

// ValidCount returns the number of cells holding data.
func (g *Grid) ValidCount() int {
	n := 0
	for _, v := range g.Data {
		if !g.IsNoData(v) {
			n++
		}
	}
	return n
}
