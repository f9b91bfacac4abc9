package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/api/apitest"
)

func TestServeFlagValidation(t *testing.T) {
	base := func() serveOptions {
		return serveOptions{addr: "127.0.0.1:0", ratePerSec: 1, timeout: time.Second, shutdownTimeout: time.Second,
			maxBodyBytes: 1, workers: 1, maxQueued: 1}
	}
	if o := base(); o.validate() != nil {
		t.Fatal(o.validate())
	}
	for name, mod := range map[string]func(*serveOptions){
		"from and db":   func(o *serveOptions) { o.from, o.db = "a.gpkg", "postgres://x" },
		"db not url":    func(o *serveOptions) { o.db = "mysql://x" },
		"negative rate": func(o *serveOptions) { o.ratePerSec = -1 },
		"bad addr":      func(o *serveOptions) { o.addr = "nowhere" },
		"bad proxy":     func(o *serveOptions) { o.trustedProxies = "10.0.0.0/8,garbage" },
		"bad cors":      func(o *serveOptions) { o.cors = "map.example" },
		"zero workers":  func(o *serveOptions) { o.workers = 0 },
		"zero timeout":  func(o *serveOptions) { o.timeout = 0 },
	} {
		o := base()
		mod(&o)
		if o.validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	o := base()
	o.trustedProxies, o.cors = "10.0.0.0/8, 192.168.0.0/16", "https://a.example,*"
	if err := o.validate(); err != nil || len(o.proxies) != 2 || len(o.origins) != 2 {
		t.Errorf("lists: %v %v %v", err, o.proxies, o.origins)
	}
}

func TestServeNoSourceWithoutSample(t *testing.T) {
	saved := sampleStudy
	sampleStudy = nil
	defer func() { sampleStudy = saved }()
	o := serveOptions{addr: "127.0.0.1:0", timeout: time.Second, shutdownTimeout: time.Second, maxBodyBytes: 1, workers: 1, maxQueued: 1}
	err := runServe(context.Background(), o, io.Discard, nil)
	var ie inputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "no --from given and the sample study is not available") {
		t.Fatalf("err = %v", err)
	}
	o.from = filepath.Join(t.TempDir(), "missing.gpkg")
	if err := runServe(context.Background(), o, io.Discard, nil); !errors.As(err, &ie) {
		t.Fatalf("missing --from: %v", err)
	}
}

// TestServeSyntheticStore starts `gisement serve` on a SYNTHETIC store on
// 127.0.0.1, queries it over real HTTP and stops it as SIGTERM would.
func TestServeSyntheticStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synthetic.gpkg")
	st, err := apitest.Write(context.Background(), path, 6)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	o := serveOptions{from: path, addr: "127.0.0.1:0", ratePerSec: 0, timeout: 5 * time.Second,
		shutdownTimeout: 5 * time.Second, maxBodyBytes: 1 << 20, workers: 1, maxQueued: 2}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, o, io.Discard, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve not ready")
	}
	get := func(p string) (int, map[string]any) {
		r, err := http.Get("http://" + addr + p)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		var m map[string]any
		json.NewDecoder(r.Body).Decode(&m)
		return r.StatusCode, m
	}
	if code, m := get("/readyz"); code != 200 || m["study_id"] != apitest.StudyID || m["pvcalc"] != true {
		t.Errorf("readyz %d %v", code, m)
	}
	if code, m := get("/v1/parcels/" + apitest.ParcelID(2, 3)); code != 200 || m["id"] != apitest.ParcelID(2, 3) {
		t.Errorf("parcel %d %v", code, m)
	}
	if code, m := get("/v1/pvcalc?lat=45.18&lon=0.72&peakpower=1&loss=14&angle=30&outputformat=json"); code != 200 || m["outputs"] == nil {
		t.Errorf("pvcalc with the embedded weather: %d %v", code, m)
	}
	cancel() // as on SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no graceful shutdown")
	}
}
