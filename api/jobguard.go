package api

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/internal/redact"
)

// Study jobs (POST /v1/studies) run the whole pipeline: minutes of CPU for a
// large area or many Monte Carlo draws. They are therefore
//
//   - off unless the server is given a StudyRunner (gisement serve --jobs);
//   - restricted to clients holding Options.JobsToken (Authorization: Bearer)
//     and/or connecting from Options.JobsNetworks;
//   - refused before 202 when the request would exceed Options.JobLimits or
//     when the runner's StudyValidator rejects it (unknown scenario key,
//     out-of-range value: 422 naming the key);
//   - cancelled after JobLimits.MaxDuration.

// JobLimits bound the cost of one study job; checked before the 202.
// Zero values take the defaults below.
type JobLimits struct {
	// MaxDraws caps the Monte Carlo draws of the job's scenario (default
	// DefaultJobMaxDraws).
	MaxDraws int
	// MaxAreaKm2 caps the study area (spherical area, km², default
	// DefaultJobMaxAreaKm2).
	MaxAreaKm2 float64
	// MaxBuildings caps the buildings of the served study inside the area
	// (default DefaultJobMaxBuildings); not checked when the served store has
	// no buildings layer.
	MaxBuildings int64
	// MaxDuration is the wall time after which a running job is cancelled
	// (default DefaultJobMaxDuration).
	MaxDuration time.Duration
}

// Job limit defaults. Our assumptions, sized on the embedded sample
// (Périgueux, 15,322 parcels, about 25 km² of buildings): a job of the
// default size takes about a minute of CPU on one core.
const (
	DefaultJobMaxDraws     = 2000 // 4× the scenario default (500)
	DefaultJobMaxAreaKm2   = 25.0
	DefaultJobMaxBuildings = 20000
	DefaultJobMaxDuration  = 10 * time.Minute
)

func (l JobLimits) withDefaults() JobLimits {
	if l.MaxDraws <= 0 {
		l.MaxDraws = DefaultJobMaxDraws
	}
	if !(l.MaxAreaKm2 > 0) {
		l.MaxAreaKm2 = DefaultJobMaxAreaKm2
	}
	if l.MaxBuildings <= 0 {
		l.MaxBuildings = DefaultJobMaxBuildings
	}
	if l.MaxDuration <= 0 {
		l.MaxDuration = DefaultJobMaxDuration
	}
	return l
}

// StudyPlan is what a StudyValidator learns from a request before it is
// queued.
type StudyPlan struct {
	Draws int // Monte Carlo draws the job will run
}

// StudyValidator is implemented by a StudyRunner that can check a request
// fully (scenario keys and values) before it is queued. Its error is shown
// to the client (422), so it must name the key and problem and hold no
// server path.
type StudyValidator interface {
	Validate(req StudyRequest) (StudyPlan, error)
}

// StudyResults is implemented by a StudyRunner that writes each job's study
// into its own result store (never the served one): the API reads a
// finished job's summary from it. ErrNotFound (wrapped) once the result
// has been dropped by the runner's retention.
type StudyResults interface {
	StudySummary(ctx context.Context, studyID string) (json.RawMessage, error)
}

// checkJobAccess enforces the token and network requirements.
func (s *Server) checkJobAccess(c *echo.Context) error {
	if len(s.o.JobsNetworks) > 0 {
		ip := net.ParseIP(c.RealIP())
		ok := false
		for _, n := range s.o.JobsNetworks {
			if ip != nil && n.Contains(ip) {
				ok = true
				break
			}
		}
		if !ok {
			return problem(http.StatusForbidden, "Forbidden", "study jobs are accepted only from the server's trusted networks (gisement serve --jobs-networks)")
		}
	}
	if s.o.JobsToken != "" {
		got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.o.JobsToken)) != 1 {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="gisement study jobs"`)
			return problem(http.StatusUnauthorized, "Unauthorized", "study jobs need the server's token: Authorization: Bearer <token> (gisement serve --jobs-token or GISEMENT_JOBS_TOKEN)")
		}
	}
	return nil
}

// checkJobCost validates the request with the runner and checks the
// limits; every refusal is a 422 naming the limit and the value.
func (s *Server) checkJobCost(ctx context.Context, req StudyRequest) error {
	l := s.o.JobLimits
	if v, ok := s.jobs.runner.(StudyValidator); ok {
		plan, err := v.Validate(req)
		if err != nil {
			return problem(http.StatusUnprocessableEntity, "Invalid scenario", redact.Paths(redact.Credentials(err.Error())))
		}
		if plan.Draws > l.MaxDraws {
			return problem(http.StatusUnprocessableEntity, "Job too costly",
				fmt.Sprintf("scenario uncertainty.draws %d > %d, this server's limit per study job", plan.Draws, l.MaxDraws))
		}
	}
	if a := areaKm2(req.Area); a > l.MaxAreaKm2 {
		return problem(http.StatusUnprocessableEntity, "Job too costly",
			fmt.Sprintf("area: %.1f km² > %g km², this server's limit per study job", a, l.MaxAreaKm2))
	}
	st, err := s.study(ctx)
	if err != nil {
		return storeProblem(err, "study")
	}
	tot, err := s.store.Summary(ctx, st.ID, "buildings", req.Area, nil)
	switch {
	case errors.Is(err, data.ErrNotFound):
		// No buildings layer to count with: the area cap alone applies.
	case err != nil:
		return storeProblem(err, "buildings")
	case tot.Count > l.MaxBuildings:
		return problem(http.StatusUnprocessableEntity, "Job too costly",
			fmt.Sprintf("area: %d buildings > %d, this server's limit per study job", tot.Count, l.MaxBuildings))
	}
	return nil
}

// jobError is the text of a failed job shown to clients: credentials and
// server paths removed, the time limit named.
func jobError(err error, limit time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("the study exceeded this server's time limit per job (%s) and was cancelled", limit)
	}
	if errors.Is(err, context.Canceled) {
		return "the study was cancelled (server shutting down)"
	}
	return redact.Paths(redact.Credentials(err.Error()))
}
