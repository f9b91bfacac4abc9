package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/gisement/gisement/api/apitest"
)

// TestAPIFeatureGzipSplice checks that the spliced gzip answer of a feature
// (cached head + study scenario tail) decompresses, with Go's strict gzip
// reader (CRC-32 and size checked), to exactly the plain answer, which is
// one JSON Feature with the scenario member, on a cache miss and a hit.
func TestAPIFeatureGzipSplice(t *testing.T) {
	s := newServer(t, nil)
	for _, path := range []string{"/v1/parcels/" + apitest.ParcelID(3, 4), "/v1/buildings/" + apitest.ParcelID(3, 4) + "-B0"} {
		for pass := range 2 { // miss then hit
			z := do(t, s, http.MethodGet, path, "", "Accept-Encoding", "gzip")
			if z.Code != http.StatusOK || z.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s pass %d: %d %q", path, pass, z.Code, z.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(z.Body))
			if err != nil {
				t.Fatal(err)
			}
			zr.Multistream(false)
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s pass %d: spliced gzip does not decode: %v", path, pass, err)
			}
			plain := do(t, s, http.MethodGet, path, "")
			if plain.Header.Get("Content-Encoding") != "" || !bytes.Equal(got, plain.Body) {
				t.Fatalf("%s pass %d: gzip body (%d B) differs from plain (%d B)", path, pass, len(got), len(plain.Body))
			}
			var f struct {
				Type     string          `json:"type"`
				ID       any             `json:"id"`
				Scenario json.RawMessage `json:"scenario"`
			}
			if err := json.Unmarshal(got, &f); err != nil || f.Type != "Feature" || f.ID == nil || len(f.Scenario) < 10 {
				t.Fatalf("%s: not a Feature with a scenario: %v %.200s", path, err, got)
			}
		}
	}
}
