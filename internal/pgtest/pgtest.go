// Package pgtest gives PostGIS integration tests a throw-away schema in the
// database named by GISEMENT_TEST_PG (CI starts one with .ci/postgis.sh),
// and skips them with the reason when it is not set.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env names the variable holding the test database URL.
const Env = "GISEMENT_TEST_PG"

var seq atomic.Int64

// URL returns GISEMENT_TEST_PG, or skips the test.
func URL(t testing.TB) string {
	u := os.Getenv(Env)
	if u == "" {
		t.Skip(`GISEMENT_TEST_PG not set (eval "$(bash .ci/postgis.sh)" starts a throw-away PostGIS); skipping PostGIS integration test`)
	}
	return u
}

// SchemaURL creates an empty schema for the test (dropped at its end) and
// returns a URL whose search_path is that schema, then public (PostGIS):
// every table the test's stores and job queues create goes there, so that
// tests (and processes they start) sharing one database do not meet.
func SchemaURL(t testing.TB, prefix string) string {
	url := URL(t)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	name := fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), seq.Add(1))
	if _, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE; CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), url); err == nil {
			c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+name+" CASCADE")
			c.Close(context.Background())
		}
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + name + ",public"
}
