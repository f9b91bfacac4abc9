package gpkg

import (
	"database/sql/driver"
	"sync"

	"modernc.org/sqlite"
)

// The GeoPackage R-tree triggers call ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY
// and ST_MaxY (GeoPackage 1.3 §F.3), which SQLite lacks; GDAL registers its
// own. We register the same functions on the modernc "sqlite" driver so that
// the triggers fire correctly on our connections, and use ST_Min/MaxX/Y in
// queries to re-check envelopes exactly after the (float32) R-tree filter.
var registerOnce sync.Once

func registerFuncs() {
	registerOnce.Do(func() {
		bound := func(pick func(minx, maxx, miny, maxy float64) float64) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
			return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
				blob, ok := args[0].([]byte)
				if !ok {
					return nil, nil
				}
				b, empty, err := blobBound(blob)
				if err != nil || empty {
					return nil, nil
				}
				return pick(b.Min[0], b.Max[0], b.Min[1], b.Max[1]), nil
			}
		}
		// Errors mean the name is already registered (by another package
		// using the same driver); the function then exists and we go on.
		_ = sqlite.RegisterDeterministicScalarFunction("ST_MinX", 1, bound(func(a, _, _, _ float64) float64 { return a }))
		_ = sqlite.RegisterDeterministicScalarFunction("ST_MaxX", 1, bound(func(_, b, _, _ float64) float64 { return b }))
		_ = sqlite.RegisterDeterministicScalarFunction("ST_MinY", 1, bound(func(_, _, c, _ float64) float64 { return c }))
		_ = sqlite.RegisterDeterministicScalarFunction("ST_MaxY", 1, bound(func(_, _, _, d float64) float64 { return d }))
		_ = sqlite.RegisterDeterministicScalarFunction("ST_IsEmpty", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			blob, ok := args[0].([]byte)
			if !ok {
				return nil, nil
			}
			_, empty, err := blobBound(blob)
			if err != nil {
				return nil, nil
			}
			if empty {
				return int64(1), nil
			}
			return int64(0), nil
		})
	})
}
