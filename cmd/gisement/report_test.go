package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisement/gisement/api/apitest"
)

// writeReportFixture writes apitest's SYNTHETIC parcel grid (not real data).
func writeReportFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "results.gpkg")
	s, err := apitest.Write(context.Background(), path, 6)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path
}

func TestReportHTML(t *testing.T) {
	path := writeReportFixture(t)
	out := filepath.Join(t.TempDir(), "annexe.html")
	if err := runReport(context.Background(), reportOptions{From: path, Commune: apitest.CommuneINSEE, Out: out}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "INSEE 24322") || !strings.Contains(string(b), "data:image/png;base64,") {
		t.Errorf("annex lacks the commune or its maps (%d bytes)", len(b))
	}
}

func TestReportBadInput(t *testing.T) {
	path := writeReportFixture(t)
	dir := t.TempDir()
	cases := map[string]reportOptions{
		"unknown commune": {From: path, Commune: "33063", Out: filepath.Join(dir, "a.html")},
		"bad INSEE":       {From: path, Commune: "243", Out: filepath.Join(dir, "a.html")},
		"bad extension":   {From: path, Commune: "24322", Out: filepath.Join(dir, "a.doc")},
		"no store":        {Commune: "24322", Out: filepath.Join(dir, "a.html")},
		"missing file":    {From: filepath.Join(dir, "none.gpkg"), Commune: "24322", Out: filepath.Join(dir, "a.html")},
		"unknown study":   {From: path, Study: "nope", Commune: "24322", Out: filepath.Join(dir, "a.html")},
	}
	for name, o := range cases {
		err := runReport(context.Background(), o)
		var ie inputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: err %v, want a bad-input error (exit 2)", name, err)
		}
	}
}
