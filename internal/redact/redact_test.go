package redact

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestCredentials(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://u:X@h/db", "postgres://u:***@h/db"},
		{"postgresql://u:p%40ss@h:5432/db?sslmode=disable", "postgresql://u:***@h:5432/db?sslmode=disable"},
		{"postgres://u@h/db?password=X", "postgres://u@h/db?password=***"},
		{"postgres://u@h/db?sslmode=require&password=X&x=1", "postgres://u@h/db?sslmode=require&password=***&x=1"},
		{"mysql://root:hunter2@tcp(db)/x", "mysql://root:***@tcp(db)/x"},
		{"redis://:tok@cache:6379/0", "redis://:***@cache:6379/0"},
		{"https://user:pw@example.org/path", "https://user:***@example.org/path"},
		{`--db "host=h user=u password=X dbname=db"`, `--db "host=h user=u password=*** dbname=db"`},
		{"host=h password='se cret' dbname=db", "host=h password='***' dbname=db"},
		{"PASSWORD=X", "PASSWORD=***"},
		{`{"password":"X","user":"u"}`, `{"password":"***","user":"u"}`},
		{"https://api.example/x?api_key=abc&q=1", "https://api.example/x?api_key=***&q=1"},
		{"password: X", "password: ***"},
		{"nothing secret here: postgres://u@h/db", "nothing secret here: postgres://u@h/db"},
		{"keyword=1 passage=2", "keyword=1 passage=2"},
	} {
		if got := Credentials(c.in); got != c.want {
			t.Errorf("Credentials(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPaths(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"open /tmp/gisement-job-123/buildings.geojson: no such file", "open buildings.geojson: no such file"},
		{"study input: /home/alice/data/x.gpkg line 3: bad", "study input: x.gpkg line 3: bad"},
		{"see https://example.org/a/b/c", "see https://example.org/a/b/c"},
		{"ratio 1/2 of a/b", "ratio 1/2 of a/b"},
		{"1,200 kWh/m²/yr at lat 45/46", "1,200 kWh/m²/yr at lat 45/46"},
		{`file="/srv/data/x.csv"`, `file="x.csv"`},
		{"path=/srv/a/b.gpkg", "path=b.gpkg"},
		{`C:\Users\bob\data\x.csv: bad`, `x.csv: bad`},
	} {
		if got := Paths(c.in); got != c.want {
			t.Errorf("Paths(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil)))
	log.With("db", "postgres://u:X@h/db").Error("connect postgres://a:Y@h failed",
		"err", errors.New("dial: password=Z"), slog.Group("g", "dsn", "user=u pwd=W"))
	out := buf.String()
	for _, secret := range []string{":X@", ":Y@", "=Z", "=W"} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q: %s", secret, out)
		}
	}
	if strings.Count(out, Mask) != 4 {
		t.Errorf("want 4 masks: %s", out)
	}
}

// FuzzCredentials: the secret of a generated URL or DSN never survives.
func FuzzCredentials(f *testing.F) {
	f.Add("u", "s3cr3tvalue", "h")
	f.Add("admin", "p@ss:word", "db.example")
	f.Fuzz(func(t *testing.T, user, secret, host string) {
		if len(secret) < 6 || strings.ContainsAny(secret, " \t\n\r'\"@/&;,{}()") || strings.ContainsAny(user, " \t\n\r:@/?#") ||
			strings.ContainsAny(host, " \t\n\r@/?#:") || strings.Contains(user+host, secret) || strings.Contains("postgres://?password=&host= user= dbname=x", secret) {
			t.Skip()
		}
		for _, s := range []string{
			"postgres://" + user + ":" + secret + "@" + host + "/db",
			"postgres://" + user + "@" + host + "/db?password=" + secret,
			"host=" + host + " user=" + user + " password=" + secret + " dbname=x",
		} {
			if got := Credentials(s); strings.Contains(got, secret) {
				t.Fatalf("Credentials(%q) = %q keeps the secret", s, got)
			}
		}
	})
}
