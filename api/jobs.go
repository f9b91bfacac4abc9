package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/gisement/gisement/data"
)

// Job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// maxKeptJobs bounds the finished jobs remembered (oldest forgotten first).
const maxKeptJobs = 1000

// Job is the public state of a study job.
type Job struct {
	ID         string            `json:"id"`
	Status     string            `json:"status"`
	Error      string            `json:"error,omitempty"`
	StudyID    string            `json:"study_id,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	StartedAt  *time.Time        `json:"started_at,omitempty"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
	Links      map[string]string `json:"links,omitempty"`
	Summary    json.RawMessage   `json:"summary,omitempty"`

	req StudyRequest
}

// jobPool runs study jobs on a fixed number of workers fed by a bounded
// queue; a full queue refuses new jobs (503) instead of growing.
type jobPool struct {
	runner  StudyRunner
	queue   chan *Job
	mu      sync.Mutex
	jobs    map[string]*Job
	order   []string // finished job ids, oldest first
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	closed  bool
	log     *slog.Logger
	metrics *metrics
	// maxDuration cancels a running job (JobLimits.MaxDuration).
	maxDuration time.Duration
}

func newJobPool(r StudyRunner, workers, queueCap int, maxDuration time.Duration, log *slog.Logger, m *metrics) *jobPool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &jobPool{runner: r, queue: make(chan *Job, queueCap), jobs: map[string]*Job{}, ctx: ctx, cancel: cancel, log: log, metrics: m,
		maxDuration: maxDuration}
	if r != nil {
		for range workers {
			p.wg.Add(1)
			go p.worker()
		}
	}
	return p
}

var errQueueFull = errors.New("study queue full")

func newJobID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// submit queues a job or returns errQueueFull.
func (p *jobPool) submit(req StudyRequest) (Job, error) {
	j := &Job{ID: newJobID(), Status: JobQueued, CreatedAt: time.Now().UTC(), req: req}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return Job{}, errQueueFull
	}
	select {
	case p.queue <- j:
	default:
		p.metrics.jobsRejected.Add(1)
		return Job{}, errQueueFull
	}
	p.jobs[j.ID] = j
	p.metrics.jobsQueued.Add(1)
	return *j, nil
}

func (p *jobPool) get(id string) (Job, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	j, ok := p.jobs[id]
	if !ok {
		return Job{}, false
	}
	return *j, true
}

func (p *jobPool) worker() {
	defer p.wg.Done()
	for {
		select {
		case <-p.ctx.Done():
			return
		case j := <-p.queue:
			p.run(j)
		}
	}
}

func (p *jobPool) run(j *Job) {
	now := time.Now().UTC()
	p.mu.Lock()
	j.Status, j.StartedAt = JobRunning, &now
	p.mu.Unlock()
	p.metrics.jobsQueued.Add(-1)
	p.metrics.jobsRunning.Add(1)
	studyID, err := func() (id string, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("study pipeline panicked: %v", r)
			}
		}()
		ctx, cancel := context.WithTimeout(p.ctx, p.maxDuration)
		defer cancel()
		return p.runner.Run(ctx, j.req)
	}()
	end := time.Now().UTC()
	p.metrics.jobsRunning.Add(-1)
	p.mu.Lock()
	j.FinishedAt = &end
	if err != nil {
		j.Status, j.Error = JobFailed, jobError(err, p.maxDuration) // no server path (jobguard.go)
		p.metrics.jobsFailed.Add(1)
		p.log.Warn("study job failed", "job", j.ID, "err", err)
	} else {
		j.Status, j.StudyID = JobDone, studyID
		p.metrics.jobsDone.Add(1)
	}
	j.req = StudyRequest{}
	p.order = append(p.order, j.ID)
	for len(p.order) > maxKeptJobs {
		delete(p.jobs, p.order[0])
		p.order = p.order[1:]
	}
	p.mu.Unlock()
}

// close refuses new jobs, cancels running ones and waits for the workers.
func (p *jobPool) close(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cancel()
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type studyBody struct {
	Area     json.RawMessage `json:"area"`
	Scenario json.RawMessage `json:"scenario"`
}

// startStudy serves POST /v1/studies.
func (s *Server) startStudy(c *echo.Context) error {
	if s.jobs.runner == nil {
		return problem(http.StatusForbidden, "Study jobs disabled", "study jobs are off on this server (start it with gisement serve --jobs)")
	}
	if err := s.checkJobAccess(c); err != nil {
		return err
	}
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	var b studyBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return problem(http.StatusBadRequest, "Malformed JSON", "body: "+err.Error())
	}
	if len(b.Area) == 0 {
		return badParam("area", "required (GeoJSON Polygon, MultiPolygon or Feature)")
	}
	area, err := parseArea(b.Area, "area")
	if err != nil {
		return err
	}
	if len(b.Scenario) > 0 && string(b.Scenario) != "null" {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b.Scenario, &obj); err != nil {
			return badParam("scenario", "must be a JSON object")
		}
	} else {
		b.Scenario = nil
	}
	req := StudyRequest{Area: area, ScenarioOverrides: b.Scenario}
	if err := s.checkJobCost(c.Request().Context(), req); err != nil {
		return err
	}
	j, err := s.jobs.submit(req)
	if err != nil {
		c.Response().Header().Set("Retry-After", "30")
		return problem(http.StatusServiceUnavailable, "Overloaded", fmt.Sprintf("the study queue is full (%d jobs); retry later", s.o.MaxQueuedJobs))
	}
	c.Response().Header().Set("Location", "/v1/studies/"+j.ID)
	return c.JSON(http.StatusAccepted, s.jobView(j))
}

func (s *Server) jobView(j Job) Job {
	j.Links = map[string]string{"self": "/v1/studies/" + j.ID}
	if _, own := s.jobs.runner.(StudyResults); j.Status == JobDone && !own {
		j.Links["parcels"] = "/v1/parcels"
		j.Links["buildings"] = "/v1/buildings" // the only screening of a study without parcels
		j.Links["study"] = "/v1/study"         // warnings and sources
		j.Links["tiles"] = "/v1/tiles/{z}/{x}/{y}.mvt"
	}
	return j
}

// getStudyJob serves GET /v1/studies/{id}.
func (s *Server) getStudyJob(c *echo.Context) error {
	if s.jobs.runner != nil { // jobs off: no job exists, 404 below
		if err := s.checkJobAccess(c); err != nil {
			return err
		}
	}
	id := pathParam(c, "id")
	j, ok := s.jobs.get(id)
	if !ok {
		return problem(http.StatusNotFound, "Not found", fmt.Sprintf("study job %q not found", id))
	}
	if j.Status == JobDone && j.StudyID != "" {
		if res, ok := s.jobs.runner.(StudyResults); ok {
			sum, err := res.StudySummary(c.Request().Context(), j.StudyID)
			switch {
			case err == nil:
				j.Summary = sum
			case errors.Is(err, data.ErrNotFound):
				j.Error = "the result of this job has been removed (the server keeps only its most recent job results)"
			default:
				s.log.Warn("study job result", "job", j.ID, "err", err)
			}
		} else if st, err := s.store.Study(c.Request().Context(), j.StudyID); err == nil {
			j.Summary = st.Summary
		}
	}
	return c.JSON(http.StatusOK, s.jobView(j))
}
