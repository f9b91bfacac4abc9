package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/gisement/gisement/data"
)

// WriteXLSX writes the diagnostic as an Excel workbook (Office Open XML,
// written by excelize): a sheet per level (communes, then EPCIs when
// given), one row per territory and one column per indicator with its
// unit in the heading, and a tidy sheet (one row per territory and
// indicator). Values are numeric cells with a number format of the
// indicator's decimals (a spreadsheet computes with them at once); missing
// values are empty cells. Labels and units are in lang.
func (p *PCAET) WriteXLSX(w io.Writer, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	fr := lang != data.English
	names := map[string]string{"commune": "Communes", "epci": "EPCI", "tidy": "Indicators", "about": "About"}
	if fr {
		names["tidy"], names["about"] = "Indicateurs", "À propos"
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F4F1EA"}}})
	if err != nil {
		return err
	}
	styles := map[int]int{}
	numStyle := func(dec int) (int, error) {
		if s, ok := styles[dec]; ok {
			return s, nil
		}
		nf := "#,##0"
		if dec > 0 {
			nf += "." + strings.Repeat("0", dec)
		}
		s, err := f.NewStyle(&excelize.Style{CustomNumFmt: &nf})
		styles[dec] = s
		return s, err
	}
	cell := func(col, row int) string { c, _ := excelize.CoordinatesToCellName(col, row); return c }
	first := true
	for _, level := range []string{"commune", "epci"} {
		var rows []Area
		for _, a := range p.Areas {
			if a.Level == level {
				rows = append(rows, a)
			}
		}
		if len(rows) == 0 {
			continue
		}
		sheet := names[level]
		if first {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		h := []string{"Code", "Name"}
		if fr {
			h[1] = "Nom"
		}
		for _, ind := range p.Indicators {
			h = append(h, ind.Heading(lang))
		}
		for j, s := range h {
			if err := f.SetCellStr(sheet, cell(j+1, 1), s); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, "A1", cell(len(h), 1), head); err != nil {
			return err
		}
		for i, a := range rows {
			r := i + 2
			f.SetCellStr(sheet, cell(1, r), a.Code)
			f.SetCellStr(sheet, cell(2, r), a.Name)
			for k, ind := range p.Indicators {
				if v := a.Values[k]; !math.IsNaN(v) && !math.IsInf(v, 0) {
					if err := f.SetCellFloat(sheet, cell(k+3, r), roundTo(v, ind.Decimals), -1, 64); err != nil {
						return err
					}
				}
			}
		}
		for k, ind := range p.Indicators {
			s, err := numStyle(ind.Decimals)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell(k+3, 2), cell(k+3, len(rows)+1), s); err != nil {
				return err
			}
		}
		f.SetColWidth(sheet, "A", "A", 12)
		f.SetColWidth(sheet, "B", "B", 28)
		end, _ := excelize.ColumnNumberToName(len(h))
		f.SetColWidth(sheet, "C", end, 16)
		f.SetRowHeight(sheet, 1, 60)
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
			return err
		}
	}
	// Tidy sheet: the CSV's rows.
	tidy := names["tidy"]
	if _, err := f.NewSheet(tidy); err != nil {
		return err
	}
	th := []string{"level", "code", "name", "indicator", "label", "value", "unit"}
	if fr {
		th = []string{"Niveau", "Code", "Nom", "Indicateur", "Libellé", "Valeur", "Unité"}
	}
	for j, s := range th {
		f.SetCellStr(tidy, cell(j+1, 1), s)
	}
	f.SetCellStyle(tidy, "A1", cell(len(th), 1), head)
	r := 2
	for _, a := range p.Areas {
		for k, ind := range p.Indicators {
			level := a.Level
			if fr {
				level = map[string]string{"commune": "Commune", "epci": "EPCI"}[a.Level]
			}
			u, _ := data.UnitLabel(ind.Unit, lang)
			for j, s := range []string{level, a.Code, a.Name, ind.Key, ind.Label.In(lang)} {
				f.SetCellStr(tidy, cell(j+1, r), s)
			}
			f.SetCellStr(tidy, cell(7, r), u)
			if v := a.Values[k]; !math.IsNaN(v) && !math.IsInf(v, 0) {
				f.SetCellFloat(tidy, cell(6, r), roundTo(v, ind.Decimals), -1, 64)
				s, err := numStyle(ind.Decimals)
				if err != nil {
					return err
				}
				f.SetCellStyle(tidy, cell(6, r), cell(6, r), s)
			}
			r++
		}
	}
	f.SetColWidth(tidy, "C", "C", 24)
	f.SetColWidth(tidy, "D", "E", 36)
	about := names["about"]
	if _, err := f.NewSheet(about); err != nil {
		return err
	}
	lines := [][2]string{{"Study", p.Study}, {"Produced by", "gisement"},
		{"Note", "Pre-study orders of magnitude; empty cell = not computed."}}
	if fr {
		lines = [][2]string{{"Étude", p.Study}, {"Produit par", "gisement"},
			{"Remarque", "Ordres de grandeur de pré-étude ; cellule vide = non calculé."}}
	}
	for i, l := range lines {
		f.SetCellStr(about, cell(1, i+1), l[0])
		f.SetCellStr(about, cell(2, i+1), l[1])
	}
	bw := bufio.NewWriter(w)
	if _, err := f.WriteTo(bw); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	return bw.Flush()
}

// ReadEPCI reads the communes → EPCI table of a CSV file: a header row
// naming the commune code column (CODGEO, INSEE_COM, code_insee, insee or
// commune), the EPCI code column (EPCI, SIREN_EPCI, code_epci or siren)
// and optionally the EPCI name (LIBEPCI, NOM_EPCI, nom_epci or
// epci_name), as in INSEE's "Intercommunalité – Métropole" table saved as
// CSV; separator ";", "," or tab (read from the header), UTF-8 with or
// without BOM. An error names the line and the field.
func ReadEPCI(r io.Reader) (map[string]EPCI, error) {
	br := bufio.NewReader(r)
	first, err := br.ReadString('\n')
	if err != nil && first == "" {
		return nil, fmt.Errorf("epci: empty file: %w", data.ErrInvalidValue)
	}
	first = strings.TrimPrefix(first, "\ufeff")
	sep := ';'
	switch {
	case strings.Count(first, ";") > 0:
	case strings.Count(first, "\t") > 0:
		sep = '\t'
	case strings.Count(first, ",") > 0:
		sep = ','
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(first), br))
	cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = sep, -1, true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("epci: line 1: %w", err)
	}
	head = slices.Clone(head) // ReuseRecord: later reads overwrite it
	find := func(names ...string) int {
		for i, h := range head {
			for _, n := range names {
				if strings.EqualFold(strings.TrimSpace(h), n) {
					return i
				}
			}
		}
		return -1
	}
	ic := find("CODGEO", "INSEE_COM", "code_insee", "insee", "commune")
	ie := find("EPCI", "SIREN_EPCI", "code_epci", "siren")
	in := find("LIBEPCI", "NOM_EPCI", "nom_epci", "epci_name")
	if ic < 0 || ie < 0 {
		return nil, fmt.Errorf("epci: line 1: header %q lacks a commune code column (CODGEO, INSEE_COM, code_insee) or an EPCI column (EPCI, SIREN_EPCI, code_epci): %w",
			strings.Join(head, string(sep)), data.ErrInvalidValue)
	}
	out := map[string]EPCI{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("epci: line %d: %w", line, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if ic >= len(rec) || ie >= len(rec) {
			return nil, fmt.Errorf("epci: line %d: %d fields, the header has %d: %w", line, len(rec), len(head), data.ErrInvalidValue)
		}
		c, e := strings.TrimSpace(rec[ic]), strings.TrimSpace(rec[ie])
		if !inseeCode(c) {
			return nil, fmt.Errorf("epci: line %d: field %s: %q is not an INSEE commune code: %w", line, head[ic], c, data.ErrInvalidValue)
		}
		if e == "" {
			return nil, fmt.Errorf("epci: line %d: field %s is empty: %w", line, head[ie], data.ErrInvalidValue)
		}
		if prev, dup := out[c]; dup && prev.Code != e {
			return nil, fmt.Errorf("epci: line %d: commune %s in EPCI %s and %s: %w", line, c, prev.Code, e, data.ErrInvalidValue)
		}
		x := EPCI{Code: e}
		if in >= 0 && in < len(rec) {
			x.Name = strings.TrimSpace(rec[in])
		}
		out[c] = x
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("epci: no commune listed: %w", data.ErrInvalidValue)
	}
	return out, nil
}

// inseeCode reports whether s is a commune code: 5 characters, digits
// except "2A"/"2B" for Corsica.
func inseeCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i, c := range s {
		if c >= '0' && c <= '9' {
			continue
		}
		if i == 1 && (c == 'A' || c == 'B') && s[0] == '2' {
			continue
		}
		return false
	}
	return true
}
