// Package redact removes secrets and server paths from text that leaves the
// process: log lines, error messages printed by the CLI, and study-job errors
// shown to HTTP clients.
//
// A connection string can carry a credential in several forms, all handled
// by Credentials:
//
//   - URL user information: postgres://user:secret@host/db, also for any
//     other scheme (mysql://, redis://, https://, amqp://...);
//   - URL query parameters: postgres://u@h/db?password=secret&sslmode=require;
//   - libpq key=value DSNs: "host=h user=u password=secret dbname=db", with
//     single-quoted values ('se cret') as libpq allows;
//   - the same keys written key: value (YAML, JSON-ish logs).
//
// The secret keys recognised are password, passwd, pwd, pass, sslpassword,
// secret, token, access_token, api_key, apikey, key (only as a query
// parameter or DSN key), compared case-insensitively. The replacement is the
// fixed string "***", so a redacted text never tells the secret's length.
//
// The redaction is hand-written: net/url cannot parse key=value DSNs or
// connection strings embedded in longer messages, and pgx's own redaction
// covers only its own error type.
package redact

import (
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
)

// Mask replaces every secret.
const Mask = "***"

var (
	// scheme://user:password@  (password may contain anything but '@' and
	// whitespace; the last '@' before the host ends it).
	userinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@?#]*:)[^\s@/]*(@)`)
	// key=value, key: value, key='quoted value', "key":"value" for secret keys.
	keyValue = regexp.MustCompile(`(?i)((?:^|[\s?&;,{"'(])"?(?:password|passwd|pwd|pass|sslpassword|secret|token|access_token|api_key|apikey|key)"?\s*[=:]\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,'"})]+)`)
)

// Credentials returns s with every credential replaced by Mask.
func Credentials(s string) string {
	if s == "" {
		return s
	}
	s = userinfo.ReplaceAllString(s, "${1}"+Mask+"${2}")
	return keyValue.ReplaceAllStringFunc(s, func(m string) string {
		sub := keyValue.FindStringSubmatch(m)
		if sub == nil || sub[2] == Mask || sub[2] == "'"+Mask+"'" {
			return m
		}
		v := Mask
		if q := sub[2][0]; q == '\'' || q == '"' {
			v = string(q) + Mask + string(q)
		}
		return sub[1] + v
	})
}

// absPath matches an absolute Unix path (two or more components) or a
// Windows drive path in a message.
var absPath = regexp.MustCompile(`(?:[A-Za-z]:\\|/)[^\s:"'<>|*?,;()]+(?:[/\\][^\s:"'<>|*?,;()]+)+`)

// Paths returns s with every absolute file path replaced by its base name,
// so that an error shown to a remote client does not reveal the server's
// directory layout (temporary directories, user names, mount points).
// URLs are left alone (their paths follow "://" and a host).
func Paths(s string) string {
	locs := absPath.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		if l[0] > 0 && !startsToken(s[l[0]-1]) || insideURL(s, l[0]) {
			continue // "kWh/m²/yr", "a/b/c": not an absolute path
		}
		b.WriteString(s[last:l[0]])
		b.WriteString(base(s[l[0]:l[1]]))
		last = l[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// startsToken reports whether a path may start after byte c (start of a
// word: space, quote, bracket, '=' or ',').
func startsToken(c byte) bool {
	return strings.IndexByte(" \t\n\"'(=,;[<", c) >= 0
}

// insideURL reports whether position i of s is inside a "scheme://..."
// token.
func insideURL(s string, i int) bool {
	start := strings.LastIndexAny(s[:i], " \t\n\"'(") + 1
	return strings.Contains(s[start:i], "://")
}

func base(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 && i < len(p)-1 {
		return p[i+1:]
	}
	return filepath.Base(p)
}

// Handler wraps a slog.Handler so that the message and every string (and
// error) attribute are passed through Credentials before being written.
type Handler struct{ next slog.Handler }

// NewHandler returns a redacting handler writing to next.
func NewHandler(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled implements slog.Handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Credentials(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	rs := make([]slog.Attr, len(as))
	for i, a := range as {
		rs[i] = redactAttr(a)
	}
	return &Handler{next: h.next.WithAttrs(rs)}
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler { return &Handler{next: h.next.WithGroup(name)} }

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Credentials(v.String()))
	case slog.KindGroup:
		g := v.Group()
		rs := make([]any, len(g))
		for i, x := range g {
			rs[i] = redactAttr(x)
		}
		return slog.Group(a.Key, rs...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Credentials(x.Error()))
		case interface{ String() string }:
			return slog.String(a.Key, Credentials(x.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
