package report_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	stdhtml "html"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/api/report"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// syntheticStore writes apitest's SYNTHETIC grid (n×n parcels near
// Périgueux, made-up values; not real data) to a GeoPackage.
func syntheticStore(t testing.TB, n int) *gpkg.Store {
	t.Helper()
	s, err := apitest.Write(context.Background(), filepath.Join(t.TempDir(), "synthetic.gpkg"), n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func artifactDir(t *testing.T) string {
	if d := os.Getenv("GISEMENT_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// variance of the grey levels of an image (0 for a blank page).
func variance(img image.Image) float64 {
	var sum, sum2, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			v := (float64(r) + float64(g) + float64(bl)) / 3 / 257
			sum, sum2, n = sum+v, sum2+v*v, n+1
		}
	}
	m := sum / n
	return sum2/n - m*m
}

func TestHTMLAnnex(t *testing.T) {
	ctx := context.Background()
	st := syntheticStore(t, 10)
	out := filepath.Join(artifactDir(t), "annex-synthetic-24322.html")
	if err := report.Generate(ctx, st, report.Options{Commune: "24322", Out: out, Now: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	t.Logf("annex: %s", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{
		"INSEE 24322", "Données synthétiques", "Carte de situation", "Productible des toitures rapporté à l'optimum local",
		"Aptitude aux pompes à chaleur", "Résultats par section cadastrale", "Sites prioritaires",
		"hypothèses du scénario", "economics.discount_rate_pct", // from the synthetic scenario JSON
		"Licence Ouverte", "© DGFiP — cadastre", "CSTB — BDNB",
	} {
		if !strings.Contains(stdhtml.UnescapeString(html), want) {
			t.Errorf("annex lacks %q", want)
		}
	}
	// Self-contained: no external URL loaded (links in text are fine, none here).
	if m := regexp.MustCompile(`(?:src|href)="(https?:)?//`).FindString(html); m != "" {
		t.Errorf("annex loads an external resource: %s", m)
	}
	// Six inline PNG maps (situation and five thematic maps), each
	// decodable and not blank; the thematic maps' legends give ranges.
	imgs := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindAllStringSubmatch(html, -1)
	if len(imgs) != 6 {
		t.Fatalf("%d inline maps, want 6", len(imgs))
	}
	checkAnnex(t, stdhtml.UnescapeString(html))
	for i, m := range imgs {
		raw, err := base64.StdEncoding.DecodeString(stdhtml.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("map %d: %v", i, err)
		}
		if v := variance(img); v < 50 {
			t.Errorf("map %d looks blank (grey-level variance %.1f)", i, v)
		}
	}
	// The first top-NPV row is the parcel with the largest NPV in the store.
	r, err := report.Build(ctx, st, report.Options{Commune: "24322"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Parcels) != 100 {
		t.Fatalf("%d parcels loaded, want 100 (10×10 grid, paginated reads)", len(r.Parcels))
	}
	best, bestNPV := "", math.Inf(-1)
	for _, p := range r.Parcels {
		if p.NPVEUR != nil && *p.NPVEUR > bestNPV {
			best, bestNPV = p.ID, *p.NPVEUR
		}
	}
	i := strings.Index(html, "Par valeur actuelle nette")
	j := strings.Index(html[i:], best)
	k := strings.Index(html[i:], "24322000SY")
	if j < 0 || j != k {
		t.Errorf("top-NPV table does not start with %s (NPV %.0f €)", best, bestNPV)
	}
	// Commune totals equal the sum over parcels.
	var kwh float64
	for _, p := range r.Parcels {
		if p.PVKWhYr != nil {
			kwh += *p.PVKWhYr
		}
	}
	if got := r.Total().PVKWhYr; math.Abs(got-kwh) > 1e-6*kwh {
		t.Errorf("total PV %.1f kWh/yr, want %.1f", got, kwh)
	}
}

func TestUnknownCommune(t *testing.T) {
	st := syntheticStore(t, 2)
	err := report.Generate(context.Background(), st, report.Options{Commune: "33063", Out: filepath.Join(t.TempDir(), "a.html")})
	if !errors.Is(err, report.ErrUnknownCommune) {
		t.Errorf("unknown commune: err %v, want ErrUnknownCommune", err)
	}
	for _, bad := range []report.Options{{Commune: "2432", Out: "a.html"}, {Commune: "24322", Out: "a.docx"}} {
		if err := report.Generate(context.Background(), st, bad); !errors.Is(err, data.ErrInvalidValue) {
			t.Errorf("%+v: err %v, want ErrInvalidValue", bad, err)
		}
	}
}

func TestParseAssumptions(t *testing.T) {
	list := `{"assumptions":[{"key":"pv.loss_pct","value":14,"unit":"%","source":"PVGIS default system loss","date":"2024"}]}`
	a := report.ParseAssumptions([]byte(list))
	if len(a) != 1 || a[0].Key != "pv.loss_pct" || a[0].Value != "14" || a[0].Source != "PVGIS default system loss" {
		t.Errorf("list form: %+v", a)
	}
	a = report.ParseAssumptions([]byte(`{"b":{"c":0.5},"a":"x"}`))
	if len(a) != 2 || a[0].Key != "a" || a[1].Key != "b.c" || a[1].Value != "0,5" {
		t.Errorf("object form: %+v", a)
	}
}

// TestPDFAnnex prints the annex with headless Chromium and rasterises it
// with pdftoppm (Debian poppler-utils): at least 2 pages, none blank.
func TestPDFAnnex(t *testing.T) {
	if testing.Short() {
		t.Skip("PDF test skipped in -short mode")
	}
	if _, err := report.FindChromium(""); err != nil {
		t.Skipf("PDF test skipped: %v", err)
	}
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("PDF test skipped: pdftoppm not found (Debian poppler-utils; bash .ci/web.sh)")
	}
	st := syntheticStore(t, 30)
	dir := artifactDir(t)
	out := filepath.Join(dir, "annex-synthetic-24322.pdf")
	start := time.Now()
	if err := report.Generate(context.Background(), st, report.Options{Commune: "24322", Out: out}); err != nil {
		t.Fatal(err)
	}
	t.Logf("PDF %s in %v", out, time.Since(start).Round(time.Millisecond))
	prefix := filepath.Join(dir, "annex-page")
	if b, err := exec.Command(pdftoppm, "-r", "50", "-png", out, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	pages, _ := filepath.Glob(prefix + "-*.png")
	if len(pages) < 2 {
		t.Fatalf("%d PDF pages, want ≥ 2", len(pages))
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
		v := variance(img)
		t.Logf("page %s: grey-level variance %.0f", filepath.Base(p), v)
		if v < 20 {
			t.Errorf("page %s looks blank (variance %.1f)", p, v)
		}
	}
}

// FuzzParseAssumptions: any scenario document is read without panicking.
func FuzzParseAssumptions(f *testing.F) {
	f.Add([]byte(`{"assumptions":[{"key":"a","value":1,"unit":"%","source":"s"}]}`))
	f.Add([]byte(`[{"key":"a","value":"x"}]`))
	f.Add([]byte(`{"pv":{"loss_pct":14,"list":[1,2]},"ok":true,"n":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, a := range report.ParseAssumptions(b) {
			_ = a.Key + a.Value
		}
	})
}

// checkAnnex fails on every problem report.CheckFrench finds.
func checkAnnex(t *testing.T, doc string) {
	t.Helper()
	for _, p := range report.CheckFrench(doc) {
		t.Error(p)
	}
}

// TestCheckFrenchCatches: the check fails on English, on kWc-only
// synthesis and on missing legends.
func TestCheckFrenchCatches(t *testing.T) {
	bad := `<h2>1. Synthèse</h2><p>245 000 kWc, our assumption</p><h2>2. Cartes</h2><div class="legend">très bon</div>`
	got := strings.Join(report.CheckFrench(bad), "\n")
	for _, want := range []string{"English word our", "English word assumption", "without MWc", "fewer than four"} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckFrench missed %q; got:\n%s", want, got)
		}
	}
	good := `<h2>1. Synthèse</h2><p>245 MWc, 253 GWh/an</p><td class="orig">PVGIS default system loss (JRC)</td><h2>2. Cartes</h2>` +
		strings.Repeat(`<div class="legend"><span>5 – 10 %</span></div>`, 4)
	if p := report.CheckFrench(good); len(p) > 0 {
		t.Errorf("CheckFrench on a good annex: %v", p)
	}
}
