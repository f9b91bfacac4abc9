package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data"
)

// pcaetFixture writes the SYNTHETIC apitest grid (made-up values near
// Périgueux) and an EPCI table grouping its commune; it returns the
// GeoPackage, the EPCI file and the sum of the parcels' pv_kwp (kWp).
func pcaetFixture(t *testing.T) (gpkgPath, epciPath string, kwp float64) {
	t.Helper()
	dir := t.TempDir()
	gpkgPath = filepath.Join(dir, "synthetic.gpkg")
	s, err := apitest.Write(context.Background(), gpkgPath, 6)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.Layer(context.Background(), "communes")
	if err != nil {
		t.Fatal(err)
	}
	for p, err := range data.Pages(context.Background(), s, "communes", data.Query{Limit: data.MaxLimit}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p.Features {
			if v, ok := f.Value(l, "pv_kwp").(float64); ok {
				kwp += v
			}
		}
	}
	epciPath = filepath.Join(dir, "epci.csv")
	if err := os.WriteFile(epciPath, []byte("\ufeffCODGEO;LIBGEO;EPCI;LIBEPCI\r\n24322;Périgueux;200040392;CA Le Grand Périgueux\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return gpkgPath, epciPath, kwp
}

// TestExportPCAET: the diagnostic per commune and EPCI as csv-fr and
// xlsx; the EPCI row sums its communes; the xlsx holds numbers.
func TestExportPCAET(t *testing.T) {
	gp, ep, kwp := pcaetFixture(t)
	if kwp <= 0 {
		t.Fatal("fixture without PV power in the communes layer")
	}
	var out bytes.Buffer
	if err := runExport(context.Background(), exportOptions{From: gp, PCAET: true, EPCI: ep, Format: "csv-fr", Out: "-"}, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\ufeff")) {
		t.Error("csv-fr without BOM")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Niveau", "Code", "Nom", "Indicateur", "Libellé", "Valeur", "Unité"}
	if strings.Join(recs[0], "|") != strings.Join(want, "|") {
		t.Fatalf("header %q, want %q", recs[0], want)
	}
	found := map[string]float64{}
	for _, rec := range recs[1:] {
		if rec[3] == "pv_kwp" {
			if rec[6] != "MWc" {
				t.Errorf("pv_kwp unit %q, want MWc", rec[6])
			}
			v, err := strconv.ParseFloat(strings.Replace(rec[5], ",", ".", 1), 64)
			if err != nil {
				t.Fatalf("value %q: %v", rec[5], err)
			}
			found[rec[0]+" "+rec[1]] += v
		}
	}
	if c, e := found["Commune 24322"], found["EPCI 200040392"]; math.Abs(c-kwp/1000) > 1e-3 || math.Abs(e-c) > 1e-9 {
		t.Errorf("PV power: commune %.4f MWc, EPCI %.4f MWc, want %.4f (sum of the communes layer)", c, e, kwp/1000)
	}
	xlsx := filepath.Join(t.TempDir(), "pcaet.xlsx")
	if err := runExport(context.Background(), exportOptions{From: gp, PCAET: true, EPCI: ep, Format: "xlsx", Out: xlsx}, io.Discard); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("EPCI")
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for j, h := range rows[0] {
		if h == "Potentiel technique PV (puissance) (MWc)" {
			col = j
		}
	}
	if col < 0 || len(rows) < 2 {
		t.Fatalf("EPCI sheet header %q lacks \"Potentiel technique PV (puissance) (MWc)\"", rows[0])
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, 2)
	raw, err := f.GetCellValue("EPCI", cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	typ, _ := f.GetCellType("EPCI", cell)
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) || math.Abs(v-kwp/1000) > 1e-3 {
		t.Errorf("EPCI PV cell %s = %q (type %v), want the number %.4f", cell, raw, typ, kwp/1000)
	}
	libreOfficeRoundTrip(t, gp, ep, xlsx)
}

// libreOfficeRoundTrip opens the csv-fr export (as a French user would:
// semicolon, UTF-8, French locale) and the .xlsx with LibreOffice Calc
// headless, saves them as CSV quoting every text cell, and checks that the
// numeric columns came back unquoted, i.e. that Calc read numbers, not
// text. Skipped without LibreOffice (Debian: libreoffice-calc-nogui).
func libreOfficeRoundTrip(t *testing.T, gp, ep, xlsx string) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if soffice, err = exec.LookPath("libreoffice"); err != nil {
			t.Log("LibreOffice round trip skipped: soffice not found (Debian package libreoffice-calc-nogui)")
			return
		}
	}
	dir := t.TempDir()
	csvFR := filepath.Join(dir, "pcaet-fr.csv")
	if err := runExport(context.Background(), exportOptions{From: gp, PCAET: true, EPCI: ep, Format: "csv-fr", Out: csvFR}, io.Discard); err != nil {
		t.Fatal(err)
	}
	parcels := filepath.Join(dir, "parcelles-fr.csv")
	if err := runExport(context.Background(), exportOptions{From: gp, Layer: "parcels", Format: "csv-fr", Out: parcels}, io.Discard); err != nil {
		t.Fatal(err)
	}
	convert := func(in, infilter string) string {
		out := filepath.Join(dir, "lo")
		// Output filter: comma, double quote, UTF-8 (76), from line 1, no
		// column formats, en-US (1033), quote all text cells (true).
		args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless",
			"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,true`, "--outdir", out}
		if infilter != "" {
			args = append(args, "--infilter="+infilter)
		}
		cmd := exec.Command(soffice, append(args, in)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %s: %v: %s", filepath.Base(in), err, b)
		}
		name := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in)) + ".csv"
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatalf("soffice wrote no %s: %v", name, err)
		}
		return string(b)
	}
	// The CSV as a French user opens it: separator ";", text delimiter ",
	// UTF-8, from line 1, French locale (1036: decimal comma).
	frIn := "CSV:59,34,76,1,,1036"
	unquotedNumbers := func(what, doc string, col int, minRows int) {
		t.Helper()
		n := 0
		for i, line := range strings.Split(strings.TrimSpace(doc), "\n") {
			if i == 0 {
				continue
			}
			fields := splitRaw(strings.TrimRight(line, "\r"))
			if col >= len(fields) || fields[col] == "" {
				continue
			}
			if strings.HasPrefix(fields[col], `"`) {
				t.Errorf("%s line %d: %s read as text by LibreOffice", what, i+1, fields[col])
				continue
			}
			if _, err := strconv.ParseFloat(fields[col], 64); err != nil {
				t.Errorf("%s line %d: %q is not a number", what, i+1, fields[col])
				continue
			}
			n++
		}
		if n < minRows {
			t.Errorf("%s: %d numeric cells, want ≥ %d", what, n, minRows)
		}
	}
	unquotedNumbers("csv-fr PCAET (Valeur)", convert(csvFR, frIn), 5, 10)
	pdoc := convert(parcels, frIn)
	head := splitRaw(strings.SplitN(pdoc, "\n", 2)[0])
	col := -1
	for j, h := range head {
		if strings.Contains(h, "Potentiel technique PV (production annuelle)") {
			col = j
		}
	}
	if col < 0 {
		t.Fatalf("parcels csv-fr through LibreOffice: no PV production column in %q", head)
	}
	unquotedNumbers("csv-fr parcels (PV production)", pdoc, col, 10)
	// The workbook: its first sheet (communes) read by Calc.
	unquotedNumbers("xlsx communes sheet", convert(xlsx, ""), 2, 1)
}

// splitRaw splits a comma-separated line keeping the quotes of quoted
// fields (to tell text cells from numbers).
func splitRaw(line string) []string {
	var out []string
	var b strings.Builder
	inQ := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			inQ = !inQ
			b.WriteByte(c)
		case c == ',' && !inQ:
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(out, b.String())
}
