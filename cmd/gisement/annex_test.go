package main

import (
	"context"
	stdhtml "html"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gisement/gisement/api/report"
)

// sampleStudyGPKG returns a GeoPackage of the embedded sample study:
// $GISEMENT_STUDY_GPKG when set (CI writes it once with `gisement study`),
// else a fresh run into the test's temp dir.
func sampleStudyGPKG(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("GISEMENT_STUDY_GPKG"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	out := filepath.Join(t.TempDir(), "sample.gpkg")
	if err := runStudy(context.Background(), studyOptions{out: out, quiet: true}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	return out
}

func greyVariance(img image.Image) float64 {
	b := img.Bounds()
	var s, s2, n float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			v := float64(r+g+bl) / 3 / 257
			s += v
			s2 += v * v
			n++
		}
	}
	m := s / n
	return s2/n - m*m
}

// TestPerigueuxAnnexPDF generates the planning annex of the real sample
// study (Périgueux, INSEE 24322) as PDF with headless Chromium and turns it
// into PNG pages with pdftoppm (issue #7 Must show): at least 3 pages, none
// blank; the PDF and pages are kept in $GISEMENT_ARTIFACTS when set.
func TestPerigueuxAnnexPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("annex PDF test skipped in -short mode")
	}
	if _, err := report.FindChromium(""); err != nil {
		t.Skipf("annex PDF test skipped: %v (install Debian's chromium: bash .ci/web.sh)", err)
	}
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("annex PDF test skipped: pdftoppm not found (Debian poppler-utils)")
	}
	gpkg := sampleStudyGPKG(t)
	dir := t.TempDir()
	if d := os.Getenv("GISEMENT_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "annex-perigueux")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	html := filepath.Join(dir, "annexe-24322.html")
	if err := runReport(context.Background(), reportOptions{From: gpkg, Commune: "24322", Out: html}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Périgueux", "24322", "data:image/png;base64,", "Licence Ouverte"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("annex HTML lacks %q", want)
		}
	}
	checkPerigueuxAnnex(t, stdhtml.UnescapeString(string(b)))
	pdf := filepath.Join(dir, "annexe-24322.pdf")
	if err := runReport(context.Background(), reportOptions{From: gpkg, Commune: "24322", Out: pdf}); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, "page")
	if out, err := exec.Command(pdftoppm, "-r", "50", "-png", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, _ := filepath.Glob(prefix + "-*.png")
	if len(pages) < 3 {
		t.Fatalf("%d PDF pages, want ≥ 3 (summary, maps, tables)", len(pages))
	}
	for _, p := range pages {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if v := greyVariance(img); v < 20 {
			t.Errorf("page %s looks blank (grey-level variance %.1f)", filepath.Base(p), v)
		}
	}
	// The printed text carries the planning units (pdftotext, also in
	// poppler-utils).
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command(pdftotext, "-l", "1", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "MWc") || !strings.Contains(string(out), "GWh/an") {
			t.Errorf("first PDF page lacks MWc or GWh/an:\n%s", out)
		}
	}
	t.Logf("annex: %s, %d pages as PNG in %s", pdf, len(pages), dir)
}

// checkPerigueuxAnnex: French throughout (report.CheckFrench: no English
// word outside the sources' titles, MWc/GWh in the synthesis, ≥ 4 legends
// with ranges) and top sites with their cadastral section and number.
func checkPerigueuxAnnex(t *testing.T, doc string) {
	t.Helper()
	for _, p := range report.CheckFrench(doc) {
		t.Error(p)
	}
	i := strings.Index(doc, "Par valeur actuelle nette")
	if i < 0 {
		t.Fatal("annex lacks the top-sites table")
	}
	// A row: rank, section (1–2 letters), number.
	rows := regexp.MustCompile(`<tr><td class="n">\d+</td><td>[0-9A-Z]{1,2}</td><td>\d+</td>`).FindAllString(doc[i:], -1)
	if len(rows) < 3 {
		t.Errorf("%d top sites with a cadastral section and number, want ≥ 3", len(rows))
	}
}

// TestPerigueuxAnnexHTML checks the French annex of the sample study
// without a browser.
func TestPerigueuxAnnexHTML(t *testing.T) {
	if testing.Short() {
		t.Skip("sample study skipped in -short mode")
	}
	gpkg := sampleStudyGPKG(t)
	html := filepath.Join(t.TempDir(), "annexe-24322.html")
	if err := runReport(context.Background(), reportOptions{From: gpkg, Commune: "24322", Out: html}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	checkPerigueuxAnnex(t, stdhtml.UnescapeString(string(b)))
	en := filepath.Join(t.TempDir(), "annex-24322-en.html")
	if err := runReport(context.Background(), reportOptions{From: gpkg, Commune: "24322", Out: en, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if b, err = os.ReadFile(en); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Renewable energy potential") || !strings.Contains(string(b), "MWp") {
		t.Error("English annex lacks its title or MWp")
	}
}
