package heat

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Local energy data ("données locales de l'énergie"): annual electricity
// and gas consumption by IRIS or commune and by sector, published under the
// Licence Ouverte by the SDES (Ministère de la transition écologique,
// "Données locales de consommation d'énergie", data.gouv.fr) from the
// network operators' data, and by the Agence ORE (opendata.agenceore.fr,
// "Consommation annuelle d'électricité et gaz par IRIS / par commune et par
// code NAF"). Both are delimited text with one row per operator, year,
// carrier, zone and sector. ReadLocalEnergy reads them by header name
// (case-insensitive); the columns we rely on:
//
//	ANNEE                          year
//	FILIERE                        carrier: "E"/"Electricité", "G"/"Gaz"
//	CODE_GRAND_SECTEUR             sector: "R"/"RESIDENTIEL", "T"/"TERTIAIRE",
//	                               "I"/"INDUSTRIE", "A"/"AGRICULTURE",
//	                               anything else (X, INCONNU, NON AFFECTE) unknown
//	CONSO                          annual consumption, MWh (empty, "s" or
//	                               "secret": statistical confidentiality)
//	IRIS_CODE | CODE_IRIS | IRIS   zone (IRIS files), else
//	CODE_COMMUNE | CODE_INSEE      zone (commune files)
//	PDL (optional)                 delivery points
//	THERMOR (optional)             thermosensitive electricity, MWh
//	PARTR (optional)               thermosensitive share, % of CONSO
//	OPERATEUR (optional)           network operator
//
// Separator ';' or ',' (detected on the header), decimal comma accepted,
// UTF-8 with or without BOM.

// Carrier is an energy carrier of the local-energy files.
type Carrier string

const (
	CarrierElec Carrier = "electricity"
	CarrierGas  Carrier = "gas"
)

// Sector is a "grand secteur" of the local-energy files.
type Sector string

const (
	SectorResidential Sector = "residential"
	SectorTertiary    Sector = "tertiary"
	SectorIndustry    Sector = "industry"
	SectorAgriculture Sector = "agriculture"
	SectorUnknown     Sector = "unknown"
)

// LocalEnergyRow is one row of a local-energy file.
type LocalEnergyRow struct {
	Line     int
	Operator string
	Year     int
	Carrier  Carrier
	Sector   Sector
	// Zone is the IRIS code (9 characters) or the commune INSEE code.
	Zone string
	// ConsoMWh is the annual consumption, MWh; NaN when Secret.
	ConsoMWh float64
	Secret   bool
	// Points is the number of delivery points, −1 if absent.
	Points int
	// ThermoMWh is the thermosensitive part, MWh (THERMOR, or PARTR ×
	// CONSO); NaN when the file gives neither.
	ThermoMWh float64
}

// LocalEnergyError locates a problem in a local-energy file.
type LocalEnergyError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *LocalEnergyError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s:%d: field %q: %v", e.File, e.Line, e.Field, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LocalEnergyError) Unwrap() error { return e.Err }

// ReadLocalEnergy reads a local-energy CSV (see the column list above).
// name labels errors. A row with a bad year, carrier, negative or
// non-numeric consumption is an error naming file, line and field; rows are
// never dropped silently (secret rows are kept with Secret set).
func ReadLocalEnergy(r io.Reader, name string) ([]LocalEnergyRow, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, &LocalEnergyError{File: name, Line: 1, Err: fmt.Errorf("%w: %v", ErrFieldInput, err)}
	}
	first := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		first = head[:i]
	}
	cr := csv.NewReader(br)
	cr.Comma = ','
	if bytes.Count(first, []byte{';'}) > bytes.Count(first, []byte{','}) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, &LocalEnergyError{File: name, Line: 1, Err: fmt.Errorf("%w: reading header: %v", ErrFieldInput, err)}
	}
	header = append([]string(nil), header...) // the reader reuses its record
	col := map[string]int{}
	for i, h := range header {
		k := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[k]; !dup {
			col[k] = i
		}
	}
	find := func(keys ...string) int {
		for _, k := range keys {
			if i, ok := col[k]; ok {
				return i
			}
		}
		return -1
	}
	iYear, iCar, iSec, iCons := find("ANNEE"), find("FILIERE"), find("CODE_GRAND_SECTEUR"), find("CONSO")
	iZone := find("IRIS_CODE", "CODE_IRIS", "IRIS", "CODE_COMMUNE", "CODE_INSEE")
	for _, c := range []struct {
		i int
		n string
	}{{iYear, "ANNEE"}, {iCar, "FILIERE"}, {iSec, "CODE_GRAND_SECTEUR"}, {iCons, "CONSO"}, {iZone, "IRIS_CODE or CODE_COMMUNE"}} {
		if c.i < 0 {
			return nil, &LocalEnergyError{File: name, Line: 1, Field: c.n, Err: fmt.Errorf("%w: missing column", ErrFieldInput)}
		}
	}
	iPDL, iTherm, iPart, iOp := find("PDL"), find("THERMOR"), find("PARTR"), find("OPERATEUR")
	var out []LocalEnergyRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &LocalEnergyError{File: name, Line: line, Err: fmt.Errorf("%w: %v", ErrFieldInput, err)}
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		bad := func(field, msg string) error {
			return &LocalEnergyError{File: name, Line: line, Field: field, Err: fmt.Errorf("%w: %s", ErrFieldInput, msg)}
		}
		row := LocalEnergyRow{Line: line, Operator: get(iOp), Zone: get(iZone), Points: -1, ThermoMWh: math.NaN()}
		y, err := strconv.Atoi(get(iYear))
		if err != nil || y < 1990 || y > 2100 {
			return nil, bad("ANNEE", fmt.Sprintf("%q is not a year", get(iYear)))
		}
		row.Year = y
		switch c := strings.ToUpper(get(iCar)); {
		case c == "E" || strings.HasPrefix(c, "ELEC") || strings.HasPrefix(c, "ÉLEC"):
			row.Carrier = CarrierElec
		case c == "G" || strings.HasPrefix(c, "GAZ"):
			row.Carrier = CarrierGas
		default:
			return nil, bad("FILIERE", fmt.Sprintf("%q: want E/Electricité or G/Gaz", get(iCar)))
		}
		row.Sector = sectorOf(get(iSec))
		if row.Zone == "" {
			return nil, bad(header[iZone], "empty zone code")
		}
		cs := get(iCons)
		switch strings.ToLower(cs) {
		case "", "s", "secret", "nd":
			row.Secret, row.ConsoMWh = true, math.NaN()
		default:
			v, ok := parseFrenchFloat(cs)
			if !ok || v < 0 {
				return nil, bad("CONSO", fmt.Sprintf("%q is not a consumption ≥ 0 in MWh", cs))
			}
			row.ConsoMWh = v
		}
		if s := get(iPDL); s != "" {
			v, ok := parseFrenchFloat(s)
			if !ok || v < 0 || v != math.Trunc(v) || v > 1e9 {
				return nil, bad("PDL", fmt.Sprintf("%q is not a count", s))
			}
			row.Points = int(v)
		}
		if s := get(iTherm); s != "" && !row.Secret {
			v, ok := parseFrenchFloat(s)
			if !ok || v < 0 {
				return nil, bad("THERMOR", fmt.Sprintf("%q is not a consumption ≥ 0 in MWh", s))
			}
			row.ThermoMWh = v
		} else if s := get(iPart); s != "" && !row.Secret {
			v, ok := parseFrenchFloat(s)
			if !ok || v < 0 || v > 100 {
				return nil, bad("PARTR", fmt.Sprintf("%q is not a share in %%", s))
			}
			row.ThermoMWh = row.ConsoMWh * v / 100
		}
		out = append(out, row)
	}
	return out, nil
}

func sectorOf(s string) Sector {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case u == "R" || strings.HasPrefix(u, "RESID") || strings.HasPrefix(u, "RÉSID"):
		return SectorResidential
	case u == "T" || strings.HasPrefix(u, "TERT"):
		return SectorTertiary
	case u == "I" || strings.HasPrefix(u, "INDUS"):
		return SectorIndustry
	case u == "A" || strings.HasPrefix(u, "AGRI"):
		return SectorAgriculture
	}
	return SectorUnknown
}

// parseFrenchFloat parses "1234.5", "1234,5" or "1 234,5" (finite only).
func parseFrenchFloat(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\u00a0", ""), " ", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
