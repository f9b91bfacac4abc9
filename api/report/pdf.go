package report

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// FindChromium returns the browser to print with: path if given, else
// $GISEMENT_CHROMIUM, else chromium or chromium-browser on PATH.
func FindChromium(path string) (string, error) {
	cands := []string{path, os.Getenv("GISEMENT_CHROMIUM"), "chromium", "chromium-browser"}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
		if path != "" && c == path {
			return "", fmt.Errorf("%w: %s", ErrNoBrowser, path)
		}
	}
	return "", ErrNoBrowser
}

// PDF prints a self-contained HTML document to PDF (A4, backgrounds, page
// numbers in the footer) with headless Chromium at chromium.
func PDF(ctx context.Context, html []byte, chromium string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "gisement-report-")
	if err != nil {
		return nil, err
	}
	defer func() {
		// Chromium's children may still write for a moment after it stops.
		for range 50 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	page := filepath.Join(dir, "annex.html")
	if err := os.WriteFile(page, html, 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+page)); err != nil {
		return nil, fmt.Errorf("report: open annex in %s: %w", chromium, err)
	}
	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFMargins(0.6, 0.6, 0.7, 0.6),
		chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate(`<div></div>`),
		chromedp.PDFFooterTemplate(`<div style="font-size:8px;width:100%;text-align:center;color:#555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`),
	))
	if err != nil {
		return nil, fmt.Errorf("report: print PDF: %w", err)
	}
	return pdf, nil
}
