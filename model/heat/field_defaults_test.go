package heat

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestFieldDefaultsComplete(t *testing.T) {
	seen := map[string]bool{}
	date := regexp.MustCompile(`^\d{4}-\d{2}(-\d{2})?$`)
	for _, d := range FieldDefaults() {
		if seen[d.Key] {
			t.Errorf("duplicate key %s", d.Key)
		}
		seen[d.Key] = true
		if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) || d.Unit == "" || d.Source == "" || !date.MatchString(d.Date) {
			t.Errorf("incomplete default %+v", d)
		}
		if strings.Contains(d.Source, "/work/") || strings.Contains(d.Source, "REFERENCES") {
			t.Errorf("%s: source must be a primary source, not a local path: %s", d.Key, d.Source)
		}
	}
	if err := DefaultFieldLosses().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, e := range EmitterClasses {
		if err := e.Validate(DefaultIndoorC); err != nil {
			t.Fatal(err)
		}
	}
}
