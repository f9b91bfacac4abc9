package heat

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// hplibExtract is a small extract of hplib's database
// (FZJ-IEK3-VSA/hplib, hplib/hplib_database.csv at commit
// dbcfbc29d2dfa6eae2fb7635b19018c2c4f876cc, 2023-04-27, MIT licence,
// © FZJ IEK-3): the 12 Generic_top/average/bottom rows, the two
// "AEROTOP S07.2" rows (KEYMARK check) and "i-SHWAK V4 06" (database
// check), unchanged apart from '#' comment lines carrying the attribution.
//
//go:embed hplib_generic.csv
var hplibExtract []byte

// ErrHPLib marks a malformed hplib database file.
var ErrHPLib = errors.New("hplib database")

// HPLibParseError locates a problem in an hplib CSV file.
type HPLibParseError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *HPLibParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s:%d: field %q: %v", e.File, e.Line, e.Field, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *HPLibParseError) Unwrap() error { return e.Err }

// HPLibRow is one heat pump of hplib's database with its heating-mode
// parameters. Groups: 1 Outdoor Air/Water regulated, 2 Brine/Water
// regulated, 3 Water/Water regulated, 4–6 the same, on-off.
type HPLibRow struct {
	Manufacturer, Model, Title, Type, Subtype string
	Group                                     int
	// PThRefW, PElRefW: thermal and electric power at the reference point
	// (−7/52 °C for air, 0/52 brine, 10/52 water), W; NaN for generic rows
	// (set by ScaleGeneric).
	PThRefW, PElRefW, COPRef float64
	// PEl[0..3] = p1..p4_P_el_h (1/°C, 1/°C, −, 1/°C);
	// COP[0..3] = p1..p4_COP.
	PEl, COP [4]float64
	// SCOP as declared (EN 14825 average climate), NaN if absent;
	// RatedMediumKW "Rated Power medium T [kW]", NaN if absent.
	SCOP, RatedMediumKW float64
	// Line is the 1-based line of the row in its file.
	Line int
}

// HPLibSkip is a row that was read but lacks heating parameters.
type HPLibSkip struct {
	Line   int
	Title  string
	Reason string
}

// HPLibTable is the content of an hplib database file.
type HPLibTable struct {
	Rows    []HPLibRow
	Skipped []HPLibSkip
}

var hplibRequired = []string{"Manufacturer", "Model", "Titel", "Type", "Subtype", "Group",
	"P_th_h_ref [W]", "P_el_h_ref [W]", "COP_ref",
	"p1_P_el_h [1/°C]", "p2_P_el_h [1/°C]", "p3_P_el_h [-]", "p4_P_el_h [1/°C]",
	"p1_COP [-]", "p2_COP [-]", "p3_COP [-]", "p4_COP [-]"}

// ReadHPLib reads an hplib database CSV (hplib_database.csv layout: header
// row, comma-separated, manufacturer names starting with a space; lines
// starting with '#' are comments). Rows without the eight heating
// parameters (e.g. the generic Water/Water regulated row) are listed in
// Skipped; a malformed number or a bad group is an error naming the file,
// line and field.
func ReadHPLib(r io.Reader, name string) (*HPLibTable, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &HPLibParseError{File: name, Line: 1, Err: fmt.Errorf("%w: reading header: %v", ErrHPLib, err)}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, k := range hplibRequired {
		if _, ok := col[k]; !ok {
			return nil, &HPLibParseError{File: name, Line: 1, Field: k, Err: fmt.Errorf("%w: missing column", ErrHPLib)}
		}
	}
	t := &HPLibTable{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, &HPLibParseError{File: name, Line: line, Err: fmt.Errorf("%w: %v", ErrHPLib, err)}
		}
		if len(rec) != len(header) {
			return nil, &HPLibParseError{File: name, Line: line, Err: fmt.Errorf("%w: %d fields, header has %d", ErrHPLib, len(rec), len(header))}
		}
		get := func(k string) string { return strings.TrimSpace(rec[col[k]]) }
		num := func(k string, optional bool) (float64, error) {
			s := get(k)
			if s == "" {
				if optional {
					return math.NaN(), nil
				}
				return math.NaN(), errEmpty
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				return 0, &HPLibParseError{File: name, Line: line, Field: k, Err: fmt.Errorf("%w: %q is not a number", ErrHPLib, s)}
			}
			return v, nil
		}
		row := HPLibRow{Manufacturer: get("Manufacturer"), Model: get("Model"), Title: get("Titel"),
			Type: get("Type"), Subtype: get("Subtype"), Line: line}
		g, err := num("Group", false)
		if err != nil || g != math.Trunc(g) || g < 1 || g > 6 {
			return nil, &HPLibParseError{File: name, Line: line, Field: "Group", Err: fmt.Errorf("%w: %q is not a group 1–6", ErrHPLib, get("Group"))}
		}
		row.Group = int(g)
		missing := ""
		for i := 0; i < 4; i++ {
			kp := hplibRequired[9+i]
			kc := hplibRequired[13+i]
			if row.PEl[i], err = num(kp, false); err != nil {
				if errors.Is(err, errEmpty) {
					missing = kp
					continue
				}
				return nil, err
			}
			if row.COP[i], err = num(kc, false); err != nil {
				if errors.Is(err, errEmpty) {
					missing = kc
					continue
				}
				return nil, err
			}
		}
		for _, f := range []struct {
			k string
			p *float64
		}{{"P_th_h_ref [W]", &row.PThRefW}, {"P_el_h_ref [W]", &row.PElRefW}, {"COP_ref", &row.COPRef}} {
			if *f.p, err = num(f.k, true); err != nil {
				return nil, err
			}
		}
		row.SCOP, row.RatedMediumKW = math.NaN(), math.NaN()
		if _, ok := col["SCOP"]; ok {
			if row.SCOP, err = num("SCOP", true); err != nil {
				return nil, err
			}
		}
		if _, ok := col["Rated Power medium T [kW]"]; ok {
			if row.RatedMediumKW, err = num("Rated Power medium T [kW]", true); err != nil {
				return nil, err
			}
		}
		if missing != "" {
			t.Skipped = append(t.Skipped, HPLibSkip{Line: line, Title: row.Title, Reason: "empty " + missing})
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

var errEmpty = errors.New("empty")

// HPLibExtract returns the embedded hplib extract (see hplib_generic.csv).
func HPLibExtract() (*HPLibTable, error) {
	return ReadHPLib(bytes.NewReader(hplibExtract), "hplib_generic.csv (embedded)")
}

// Find returns the first row with the given title (hplib "Titel"), and, when
// group > 0, that group.
func (t *HPLibTable) Find(title string, group int) (HPLibRow, bool) {
	for _, r := range t.Rows {
		if r.Title == title && (group == 0 || r.Group == group) {
			return r, true
		}
	}
	return HPLibRow{}, false
}

// GenericHPLib returns the generic row (Generic_top, Generic_average or
// Generic_bottom) of a group from the embedded extract, with a unit
// electric reference power (PElRefW = 1 W) so that PTh values are relative.
func GenericHPLib(title string, group int) (HPLibRow, error) {
	t, err := HPLibExtract()
	if err != nil {
		return HPLibRow{}, err
	}
	for _, r := range t.Rows {
		if r.Manufacturer == "Generic" && r.Title == title && r.Group == group {
			r.PElRefW = 1
			r.PThRefW = r.copAt(hplibRefTIn(group), 52, -7)
			r.COPRef = r.PThRefW
			return r, nil
		}
	}
	return HPLibRow{}, fmt.Errorf("%w: no generic row %q in group %d", ErrHeatParam, title, group)
}

// hplibRefTIn is hplib's reference primary inlet temperature per group:
// −7 °C air, 0 °C brine, 10 °C water.
func hplibRefTIn(group int) float64 {
	switch group {
	case 1, 4:
		return -7
	case 2, 5:
		return 0
	default:
		return 10
	}
}

func (r HPLibRow) copAt(tIn, tOut, tAmb float64) float64 {
	return r.COP[0]*tIn + r.COP[1]*tOut + r.COP[2] + r.COP[3]*tAmb
}

func (r HPLibRow) pelRel(tIn, tOut, tAmb float64) float64 {
	return r.PEl[0]*tIn + r.PEl[1]*tOut + r.PEl[2] + r.PEl[3]*tAmb
}

// ScaleGeneric sets a row's reference powers so that it delivers pThW
// (W) at primary inlet tInC and flow tOutC, as hplib's get_parameters does
// for "Generic" (it fits P_th_ref by least squares; P_th is linear in
// P_el_ref, so we solve exactly). The COP at the set point must exceed 1.
func (r HPLibRow) ScaleGeneric(tInC, tOutC, pThW float64) (HPLibRow, error) {
	tAmb := -7.0
	if r.Group == 1 || r.Group == 4 {
		tAmb = tInC
	}
	r.PElRefW = 1
	_, _, pth := r.Simulate(tInC, tOutC, tAmb)
	if !(pth > 0) || r.copAt(tInC, tOutC, -7) <= 1 {
		return r, fmt.Errorf("%w: COP too low at %g/%g °C", ErrHeatParam, tInC, tOutC)
	}
	r.PElRefW = pThW / pth
	copRef := r.copAt(hplibRefTIn(r.Group), 52, -7)
	r.PThRefW = r.PElRefW * copRef
	r.COPRef = copRef
	return r, nil
}

// Simulate evaluates hplib's heating-mode model (hplib.HeatPump.simulate,
// mode 1) at primary inlet temperature tInC (air, brine or water), flow
// (secondary outlet) temperature tOutC and ambient air tAmbC, °C. hplib's
// input is the secondary INLET temperature; its outlet is inlet + 5 K, so
// pass tOutC = inlet + 5. For air/water groups (1, 4) T_amb = T_in. Returns
// COP, electric power PEl and thermal power PTh, W (relative to PElRefW):
//
//	COP = p1·T_in + p2·T_out + p3 + p4·T_amb
//	P_el = P_el_ref·(p1'·T_in + p2'·T_out + p3' + p4'·T_amb)
//	P_th = P_el·COP
//
// Regulated groups (1–3): P_el is floored at 25 % of P_el at T_in = −7 °C
// (group 1) or T_amb = −7 °C (group 2). All groups: if COP ≤ 1 the model
// switches to a heating rod, P_el = P_th = P_th_ref, COP = 1.
func (r HPLibRow) Simulate(tInC, tOutC, tAmbC float64) (cop, pElW, pThW float64) {
	if r.Group == 1 || r.Group == 4 {
		tAmbC = tInC
	}
	cop = r.copAt(tInC, tOutC, tAmbC)
	pElW = r.PElRefW * r.pelRel(tInC, tOutC, tAmbC)
	if r.Group <= 3 {
		fIn, fAmb := tInC, tAmbC
		switch r.Group {
		case 1:
			fIn, fAmb = -7, -7
		case 2:
			fAmb = -7
		}
		if floor := 0.25 * r.PElRefW * r.pelRel(fIn, tOutC, fAmb); pElW < floor {
			pElW = floor
		}
	}
	pThW = pElW * cop
	if cop <= 1 {
		return 1, r.PThRefW, r.PThRefW
	}
	return cop, pElW, pThW
}
