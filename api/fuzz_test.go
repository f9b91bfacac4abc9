package api

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// fuzzTargets are the endpoints whose query/path the fuzzer drives; %s is
// replaced by the fuzzed text (a path segment or a raw query string).
var fuzzTargets = []string{
	"/v1/parcels?%s",
	"/v1/parcels/%s",
	"/v1/buildings/%s",
	"/v1/communes/%s/summary",
	"/v1/pvcalc?%s",
	"/v1/tiles/%s.mvt",
	"/v1/studies/%s",
	"/readyz?%s",
}

var (
	fuzzOnce sync.Once
	fuzzSrv  *Server
)

// fuzzServer has a weather year (the embedded sample's La Rochelle EPW), so
// that valid /v1/pvcalc queries answer 200 rather than 503.
func fuzzServer(t testing.TB) *Server {
	fuzzOnce.Do(func() {
		o := Options{Store: syntheticStore(t), Weather: sampleWeather(t)}
		s, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		fuzzSrv = s
	})
	return fuzzSrv
}

// FuzzAPIQueryParams: no query string or path segment makes the API answer
// 5xx (bad input is a 4xx problem, never a crash or an internal error).
func FuzzAPIQueryParams(f *testing.F) {
	seeds := []string{
		"bbox=1,2,3,4", "bbox=0.7,45.1,0.8,45.2&limit=1000&sort=-pv_kwh_yr", "bbox=,,,", "bbox=1e309,0,0,0",
		"limit=-1", "limit=99999999999999999999", "cursor=%00%ff", "cursor=eyJ4IjoxfQ", "sort=-", "sort=--pv_kwp",
		"min_kwp=1e400", "min_specific_yield=NaN", "technology=pv&technology=gshp",
		"lat=45&lon=0&peakpower=1&loss=14&outputformat=json", "lat=NaN&lon=Inf&peakpower=-0&loss=",
		"lat=45&lon=0&peakpower=1e-300&loss=99.999&angle=90&aspect=-180&userhorizon=90,90,90",
		"lat=45&lon=0&peakpower=1&loss=14&userhorizon=" + strings.Repeat("1,", 500),
		"22/4194303/4194303", "0/0/0", "1/2/3", "-1/0/0", "99/1/1", "..%2F..", "%", "a b", "24322",
	}
	for i := range fuzzTargets {
		for _, s := range seeds {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, s string) {
		srv := fuzzServer(t)
		tmpl := fuzzTargets[int(which)%len(fuzzTargets)]
		arg := s
		if !strings.Contains(tmpl, "?") {
			arg = url.PathEscape(s)
			if s == "" || strings.Contains(tmpl, "tiles") {
				arg = strings.ReplaceAll(s, " ", "%20") // let slashes through for z/x/y
			}
		}
		target := strings.Replace(tmpl, "%s", arg, 1)
		// Parse as net/http's server would; lines it rejects never reach us.
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n")))
		if err != nil {
			return
		}
		req.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET %s → %d: %s", target, w.Code, w.Body)
		}
	})
}
