package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/gisement/gisement/data"
)

// ProblemTypeBase prefixes the "type" URI of our problems; the fragment is
// the HTTP status text in kebab case (documented in openapi.yaml).
const problemTypeBase = "https://gisement.example/problems/"

// problem returns an RFC 7807 problem error (echo's ProblemError, which the
// error handler writes as application/problem+json).
func problem(status int, title, detail string) error {
	return &echo.ProblemError{Type: problemTypeBase + http.StatusText(status), Status: status, Title: title, Detail: detail}
}

// badParam is a 400 naming the parameter.
func badParam(name, detail string) error {
	return problem(http.StatusBadRequest, "Invalid parameter", "parameter \""+name+"\": "+detail)
}

// storeProblem maps store errors: ErrNotFound → 404, ErrInvalidQuery (bad
// cursor, unknown column) → 400, deadline → 503; anything else is returned
// as is (500).
func storeProblem(err error, what string) error {
	switch {
	case errors.Is(err, data.ErrNotFound):
		return problem(http.StatusNotFound, "Not found", what+" not found")
	case errors.Is(err, data.ErrInvalidQuery), errors.Is(err, data.ErrInvalidValue):
		return problem(http.StatusBadRequest, "Invalid query", err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return problem(http.StatusServiceUnavailable, "Timeout", "the request took longer than the server's time limit")
	}
	return err
}

// errorHandler writes every error as application/problem+json. Errors that
// are not problems or echo HTTP errors are internal: logged, and answered
// 500 without their text.
func (s *Server) errorHandler(c *echo.Context, err error) {
	if resp, uerr := echo.UnwrapResponse(c.Response()); uerr == nil && resp.Committed {
		return
	}
	var p echo.ProblemError
	var pe *echo.ProblemError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &pe):
		p = *pe
	case errors.As(err, &he):
		p = echo.ProblemError{Status: he.Code, Title: http.StatusText(he.Code), Detail: he.Message}
		if p.Detail == p.Title {
			p.Detail = ""
		}
	case errors.Is(err, context.DeadlineExceeded):
		p = echo.ProblemError{Status: http.StatusServiceUnavailable, Title: "Timeout", Detail: "the request took longer than the server's time limit"}
	default:
		if sc := echo.StatusCode(err); sc >= 400 && sc < 500 {
			p = echo.ProblemError{Status: sc, Title: http.StatusText(sc)}
		} else {
			s.log.Error("internal error", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
			p = echo.ProblemError{Status: http.StatusInternalServerError, Title: "Internal Server Error"}
		}
	}
	if p.Type == "" {
		p.Type = problemTypeBase + http.StatusText(p.Status)
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if p.Status == http.StatusRequestEntityTooLarge && p.Detail == "" {
		p.Detail = bodyLimitDetail(s.o.MaxBodyBytes)
	}
	p.Instance = c.Request().URL.RequestURI()
	b, _ := json.Marshal(p)
	h := c.Response().Header()
	h.Set("Content-Type", "application/problem+json")
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	_ = c.Blob(p.Status, "application/problem+json", b)
}

// isAPIPath reports whether a path belongs to the API (answered with
// problem+json when unknown) rather than to the static web map.
func isAPIPath(p string) bool {
	return p == "/v1" || strings.HasPrefix(p, "/v1/")
}

// bodyLimitDetail is the detail of a 413 from the body-limit middleware.
func bodyLimitDetail(limit int64) string {
	return fmt.Sprintf("request body larger than this server's limit of %d bytes (gisement serve --max-body)", limit)
}
