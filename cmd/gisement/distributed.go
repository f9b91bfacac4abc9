package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/cluster"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/internal/redact"
	"github.com/gisement/gisement/model/study"
)

// distributedOptions are the flags `gisement study` takes for a
// distributed run (issue 16): plan, stage and enqueue on PostGIS, then
// return; `gisement worker` processes compute.
type distributedOptions struct {
	distributed bool
}

// addDistributed registers the distributed-run flags of `gisement study`
// and its `status` subcommand.
func addDistributed(c *cobra.Command, o *distributedOptions) {
	f := c.Flags()
	f.BoolVar(&o.distributed, "distributed", false, "plan the study, stage its inputs in the --db database and enqueue one job per chunk (of --chunk-buildings buildings) for 'gisement worker' processes, then print the study id and return (inputs must be on a file system every worker sees, or the embedded sample)")
	c.AddCommand(newStudyStatusCmd())
}

// runDistributed submits the study of opts (inputs resolved, scenario
// loaded: opts is what the one-shot run would get).
func runDistributed(ctx context.Context, o studyOptions, opts study.Options, prog study.Progress, stdout, stderr io.Writer) error {
	if o.db == "" {
		return badInput(errors.New("--distributed needs --db postgres://... (the workers share the database)"))
	}
	if o.chunkBuildings < 1 {
		return badInput(errors.New("--chunk-buildings must be ≥ 1"))
	}
	if o.stream {
		return badInput(errors.New("--stream and --distributed exclude each other (--distributed streams too, on workers)"))
	}
	var disk []string
	if d, ok := o.fsys.(diskOverlay); ok {
		for name, on := range d.disk {
			if on {
				disk = append(disk, name)
			}
		}
	}
	spec, err := cluster.NewSpec(opts, opts.Scenario, disk)
	if err != nil {
		return badInput(err)
	}
	spec.ChunkBuildings = o.chunkBuildings
	t0 := time.Now()
	sub, err := cluster.Submit(ctx, o.db, spec, prog)
	if b, ok := prog.(*barProgress); ok {
		b.finish()
	}
	if err != nil {
		if errors.Is(err, study.ErrInput) {
			return badInput(err)
		}
		return fmt.Errorf("PostGIS %s: %w", redact.Credentials(o.db), err)
	}
	if o.json {
		return json.NewEncoder(stdout).Encode(map[string]any{"study": sub.StudyID, "chunks": sub.Chunks, "run": sub.Run})
	}
	fmt.Fprintln(stdout, sub.StudyID)
	if !o.quiet {
		fmt.Fprintf(stderr, "gisement: study %s planned and enqueued in %.1f s: %d chunk jobs in %s.\n  Compute with `gisement worker --db URL` (on any number of machines); follow with `gisement study status %s --db URL`.\n",
			sub.StudyID, time.Since(t0).Seconds(), sub.Chunks, redact.Credentials(o.db), sub.StudyID)
	}
	return nil
}

func newStudyStatusCmd() *cobra.Command {
	var db string
	var asJSON bool
	c := &cobra.Command{
		Use:   "status ID",
		Short: "Show the progress of a distributed study: chunks written, jobs by state, failed attempts",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if db == "" {
				return badInput(errors.New("status needs --db postgres://..."))
			}
			st, err := cluster.GetStatus(cmd.Context(), db, args[0])
			if errors.Is(err, data.ErrNotFound) {
				return badInput(err)
			}
			if err != nil {
				return fmt.Errorf("PostGIS %s: %w", redact.Credentials(db), err)
			}
			printStatus(cmd.OutOrStdout(), st, asJSON)
			return nil
		},
	}
	c.Flags().StringVar(&db, "db", "", "PostGIS connection URL (postgres://...) of the distributed study")
	c.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	return c
}

func printStatus(w io.Writer, st cluster.Status, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(map[string]any{"study": st.StudyID, "run": st.Run, "state": st.State, "chunks": st.Chunks,
			"written": st.Written, "chunk_jobs": st.ChunkJobs, "finish": st.Finish, "failed_attempts": st.FailedAttempts,
			"last_error": st.LastError, "submitted_at": st.SubmittedAt, "finished_at": st.FinishedAt})
		return
	}
	fmt.Fprintf(w, "study %s: %s\n", st.StudyID, st.State)
	fmt.Fprintf(w, "  chunks written: %d/%d\n", st.Written, st.Chunks)
	states := make([]string, 0, len(st.ChunkJobs))
	for s := range st.ChunkJobs {
		states = append(states, s)
	}
	sort.Strings(states)
	var parts []string
	for _, s := range states {
		parts = append(parts, fmt.Sprintf("%d %s", st.ChunkJobs[s], s))
	}
	fmt.Fprintf(w, "  chunk jobs: %s\n", strings.Join(parts, ", "))
	fmt.Fprintf(w, "  failed attempts: %d\n", st.FailedAttempts)
	if st.LastError != "" {
		fmt.Fprintf(w, "  last error: %s\n", redact.Credentials(st.LastError))
	}
	finish := st.Finish
	if finish == "" {
		finish = "not enqueued (waiting for the last chunk)"
	}
	fmt.Fprintf(w, "  aggregation job: %s\n", finish)
	fmt.Fprintf(w, "  submitted: %s\n", st.SubmittedAt.UTC().Format(time.RFC3339))
	if st.FinishedAt != nil {
		fmt.Fprintf(w, "  finished: %s (%.0f s)\n", st.FinishedAt.UTC().Format(time.RFC3339), st.FinishedAt.Sub(st.SubmittedAt).Seconds())
	}
}
