package study

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// columnTable renders a layer's columns as a Markdown table (used to write
// the README's "Output columns" section; TestREADMEDocumentsColumns keeps it true).
func columnTable[T any](fs []field[T]) string {
	var b strings.Builder
	b.WriteString("| column | type | unit | meaning |\n|---|---|---|---|\n")
	for _, f := range fs {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, f.Type, f.Unit, f.Doc)
	}
	return b.String()
}

// The README documents every column of the parcels, buildings, roof_planes
// and communes layers (regenerate the tables with GISEMENT_PRINT_COLUMNS=1).
func TestREADMEDocumentsColumns(t *testing.T) {
	if os.Getenv("GISEMENT_PRINT_COLUMNS") != "" {
		fmt.Printf("### parcels\n\n%s\n### buildings\n\n%s\n### roof_planes\n\n%s\n### communes and zones\n\n%s\n### carparks\n\n%s\n",
			columnTable(parcelFields), columnTable(buildingFields), columnTable(planeFields), columnTable(areaFields("commune_insee")), columnTable(carParkFields))
	}
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skipf("README.md not readable: %v", err)
	}
	readme := string(b)
	var names []string
	for _, f := range parcelFields {
		names = append(names, f.Name)
	}
	for _, f := range buildingFields {
		names = append(names, f.Name)
	}
	for _, f := range planeFields {
		names = append(names, f.Name)
	}
	for _, f := range carParkFields {
		names = append(names, f.Name)
	}
	for _, f := range areaFields("commune_insee") {
		names = append(names, f.Name)
	}
	for _, n := range names {
		if !strings.Contains(readme, "`"+n+"`") {
			t.Errorf("README.md does not document column %q", n)
		}
	}
}
