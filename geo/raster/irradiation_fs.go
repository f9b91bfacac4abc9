package raster

import (
	"compress/gzip"
	"io"
	"io/fs"
	"strings"
)

// ReadIrradiationPointsFS is ReadIrradiationPoints on a file of fsys (e.g.
// an embedded sample): name is a name in fsys.
func ReadIrradiationPointsFS(fsys fs.FS, name string) ([]IrradiationPoint, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pts, _, err := readIrradiationFrom(f, name)
	return pts, err
}

// readIrradiationFrom reads the CSV from r, gunzipping it when name ends in
// .gz.
func readIrradiationFrom(r io.Reader, name string) ([]IrradiationPoint, IrradiationReport, error) {
	if !strings.HasSuffix(strings.ToLower(name), ".gz") {
		return readIrradiationCSV(r, name)
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, IrradiationReport{}, &FormatError{File: name, Where: "gzip header", Err: ErrIrradiationCSV, Msg: err.Error()}
	}
	defer zr.Close()
	return readIrradiationCSV(zr, name)
}
