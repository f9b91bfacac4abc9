package study

import (
	"os"
	"strings"
	"testing"
)

// readmeTables are the README's "Output columns" sections and the layer
// each documents (zones share the communes' columns but for the key).
var readmeTables = []struct{ heading, layer string }{
	{"parcels", LayerParcels},
	{"buildings", LayerBuildings},
	{"roof_planes", LayerRoofPlanes},
	{"communes and zones", LayerCommunes},
	{"carparks", LayerCarParks},
}

// TestREADMEDocumentsColumns requires the README's column tables to be
// exactly those the study's schema renders (data.Layer.MarkdownTable):
// name, type, unit, French label and meaning of every column. Regenerate
// them with GISEMENT_UPDATE_README=1 go test ./model/study -run README.
func TestREADMEDocumentsColumns(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("README.md not readable: %v", err)
	}
	readme := string(b)
	update := os.Getenv("GISEMENT_UPDATE_README") != ""
	for _, sec := range readmeTables {
		want := schemaLayer(sec.layer).MarkdownTable()
		head := "#### " + sec.heading + "\n\n"
		i := strings.Index(readme, head)
		if i < 0 {
			t.Errorf("README.md has no %q section", strings.TrimSpace(head))
			continue
		}
		start := i + len(head)
		end := strings.Index(readme[start:], "\n\n")
		if end < 0 {
			end = len(readme) - start
		}
		end += start + 1 // keep the table's last newline
		if got := readme[start:end]; got != want {
			if update {
				readme = readme[:start] + want + readme[end:]
				continue
			}
			t.Errorf("README.md %q table differs from the study's schema (GISEMENT_UPDATE_README=1 to regenerate):\n%s", sec.heading, want)
		}
	}
	if update {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
