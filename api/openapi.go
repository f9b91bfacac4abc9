package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v5"
)

// openapiYAML is the one OpenAPI document of the API: served as JSON at
// /v1/openapi.json, used to validate every request, and compared with the
// registered routes by TestAPIOpenAPIRoutesMatch.
//
//go:embed openapi.yaml
var openapiYAML []byte

// loadSpec parses and validates the embedded document.
func loadSpec() (*openapi3.T, []byte, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapiYAML)
	if err != nil {
		return nil, nil, fmt.Errorf("api: openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("api: openapi.yaml invalid: %w", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	return doc, js, nil
}

// EchoPath converts an OpenAPI path template to the echo route path:
// "{id}" becomes ":id"; a parameter followed by a literal suffix in the same
// segment ("{y}.mvt") becomes ":y", the handler checking the suffix (echo's
// router ends a parameter only at "/").
func EchoPath(oasPath string) string {
	segs := strings.Split(oasPath, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			if j := strings.IndexByte(s, '}'); j > 0 {
				segs[i] = ":" + s[1:j]
			}
		}
	}
	return strings.Join(segs, "/")
}

// paramSuffixes returns, for an OpenAPI path, the literal suffix following
// each parameter in its segment ("y" → ".mvt").
func paramSuffixes(oasPath string) map[string]string {
	m := map[string]string{}
	for s := range strings.SplitSeq(oasPath, "/") {
		if strings.HasPrefix(s, "{") {
			if j := strings.IndexByte(s, '}'); j > 0 && j < len(s)-1 {
				m[s[1:j]] = s[j+1:]
			}
		}
	}
	return m
}

// specRoute is an operation of the document, keyed by method + echo path.
type specRoute struct {
	route    *routers.Route
	suffixes map[string]string
}

// specRoutes indexes the document's operations by "METHOD echo-path".
func specRoutes(doc *openapi3.T) map[string]specRoute {
	m := map[string]specRoute{}
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			m[method+" "+EchoPath(p)] = specRoute{
				route:    &routers.Route{Spec: doc, Path: p, PathItem: item, Method: method, Operation: op},
				suffixes: paramSuffixes(p),
			}
		}
	}
	return m
}

// validateRequests is the echo middleware validating each request against
// the OpenAPI document with kin-openapi's openapi3filter. The route is found
// from echo's matched route (not re-matched), so the document and the router
// must agree — New refuses to start otherwise.
func (s *Server) validateRequests(next echo.HandlerFunc) echo.HandlerFunc {
	opts := &openapi3filter.Options{
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		MultiError:         false,
	}
	return func(c *echo.Context) error {
		sr, ok := s.routes[c.Request().Method+" "+c.Path()]
		if !ok {
			return next(c) // 404/405 handlers of the router
		}
		params := map[string]string{}
		for _, pv := range c.PathValues() {
			v := pv.Value
			if suf, ok := sr.suffixes[pv.Name]; ok {
				if !strings.HasSuffix(v, suf) {
					return problem(http.StatusNotFound, "Not Found", fmt.Sprintf("path must end with %q", suf))
				}
				v = strings.TrimSuffix(v, suf)
			}
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			params[pv.Name] = v
		}
		c.Set(ctxPathParams, params)
		in := &openapi3filter.RequestValidationInput{
			Request: c.Request(), PathParams: params, Route: sr.route, Options: opts,
		}
		if err := openapi3filter.ValidateRequest(c.Request().Context(), in); err != nil {
			return validationProblem(err)
		}
		return next(c)
	}
}

const ctxPathParams = "gisement.pathParams"

// pathParam returns a path parameter as validated (suffix stripped, unescaped).
func pathParam(c *echo.Context, name string) string {
	if m, ok := c.Get(ctxPathParams).(map[string]string); ok {
		return m[name]
	}
	return c.Param(name)
}

// validationProblem turns an openapi3filter error into a 400 problem naming
// the parameter (or the body), or a 413 when the body limit was hit.
func validationProblem(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
		return problem(http.StatusRequestEntityTooLarge, "Request body too large", he.Message)
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		reason := re.Reason
		if re.Err != nil {
			var se *openapi3.SchemaError
			if errors.As(re.Err, &se) {
				reason = strings.TrimSpace(reason + " " + se.Reason)
			} else if reason == "" {
				reason = re.Err.Error()
			}
		}
		switch {
		case re.Parameter != nil:
			return problem(http.StatusBadRequest, "Invalid parameter",
				fmt.Sprintf("parameter %q in %s: %s", re.Parameter.Name, re.Parameter.In, reason))
		case re.RequestBody != nil:
			if reason == "" {
				reason = "does not match the schema"
			}
			return problem(http.StatusBadRequest, "Invalid request body", "request body: "+reason)
		}
		return problem(http.StatusBadRequest, "Invalid request", re.Error())
	}
	return problem(http.StatusBadRequest, "Invalid request", err.Error())
}
