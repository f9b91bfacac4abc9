package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data"
)

// gridN is the side of the SYNTHETIC test grid (gridN² parcels).
const gridN = 20

var (
	storeOnce sync.Once
	testStore data.Store
	storeErr  error
	storeDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if testStore != nil {
		testStore.Close()
	}
	if storeDir != "" {
		os.RemoveAll(storeDir)
	}
	os.Exit(code)
}

// syntheticStore returns the shared SYNTHETIC store (built once).
func syntheticStore(t testing.TB) data.Store {
	t.Helper()
	storeOnce.Do(func() {
		storeDir, storeErr = os.MkdirTemp("", "gisement-api-test")
		if storeErr != nil {
			return
		}
		testStore, storeErr = apitest.Write(context.Background(), filepath.Join(storeDir, "synthetic.gpkg"), gridN)
	})
	if storeErr != nil {
		t.Fatal(storeErr)
	}
	return testStore
}

func newServer(t testing.TB, mod func(*Options)) *Server {
	t.Helper()
	o := Options{Store: syntheticStore(t)}
	if mod != nil {
		mod(&o)
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

func do(t testing.TB, h http.Handler, method, target string, body string, hdr ...string) resp {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if ra := req.Header.Get("X-Test-Remote"); ra != "" {
		req.RemoteAddr = ra
		req.Header.Del("X-Test-Remote")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return resp{w.Code, w.Header(), w.Body.Bytes()}
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not JSON: %v: %.300s", err, b)
	}
	return m
}

// wantProblem checks an RFC 7807 answer with the given status whose detail
// mentions every string in mention.
func wantProblem(t testing.TB, r resp, status int, mention ...string) {
	t.Helper()
	if r.Code != status {
		t.Fatalf("status %d, want %d: %.400s", r.Code, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	p := decode(t, r.Body)
	for _, k := range []string{"type", "title", "status", "instance"} {
		if _, ok := p[k]; !ok {
			t.Errorf("problem lacks %q: %s", k, r.Body)
		}
	}
	if int(p["status"].(float64)) != status {
		t.Errorf("problem status %v, want %d", p["status"], status)
	}
	d, _ := p["detail"].(string)
	for _, m := range mention {
		if !strings.Contains(d, m) {
			t.Errorf("detail %q does not mention %q", d, m)
		}
	}
}
