package report

import (
	"os"
	"regexp"
	"testing"
)

// TestMessagesComplete: every message key the annex uses (tr("…") in the
// Go files, t "…" in the template, and the yield caption per optimum
// source) has a French and an English text.
func TestMessagesComplete(t *testing.T) {
	keys := map[string]bool{"map.yield.cap.optimum": true, "map.yield.cap.p95": true, "map.yield.cap.": true}
	re := regexp.MustCompile(`\btr\("([a-z_.]+)"|\{\{t "([a-z_.]+)"`)
	for _, f := range []string{"html.go", "synth.go", "maps.go", "annex.html.tmpl"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]+m[2]] = true
		}
	}
	if len(keys) < 50 {
		t.Fatalf("only %d message keys found: the scan is broken", len(keys))
	}
	for k := range keys {
		m, ok := messages[k]
		if !ok || m.FR == "" || m.EN == "" {
			t.Errorf("message %q lacks a French or English text", k)
		}
	}
}
