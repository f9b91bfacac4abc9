package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/cluster"
	"github.com/gisement/gisement/internal/redact"
)

// workerOptions are the flags of `gisement worker`.
type workerOptions struct {
	db                      string
	workers, chunkWorkers   int
	jobTimeout, rescueAfter time.Duration
	id                      string
	quiet                   bool
}

func newWorkerCmd() *cobra.Command {
	var o workerOptions
	c := &cobra.Command{
		Use:   "worker",
		Short: "Compute the chunks of distributed studies (gisement study --distributed) until interrupted",
		Long: `Takes chunk jobs of distributed studies from the River queue in the --db database, computes
them (inputs: the paths stored with the study, which must be valid on this machine, or the
embedded sample) and writes their rows; the worker that writes the last chunk of a study
enqueues its aggregation. Runs until SIGINT/SIGTERM, then stops taking jobs and lets the
running ones finish (up to --job-timeout).

A worker killed mid-chunk writes nothing of that chunk; its job is retried by another worker
once it has been running for --rescue-after (checked every 30 s).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runWorker(ctx, o, cmd.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.StringVar(&o.db, "db", "", "PostGIS connection URL (postgres://...) of the distributed studies")
	f.IntVar(&o.workers, "workers", 1, "chunk jobs computed at once by this process")
	f.IntVar(&o.chunkWorkers, "chunk-workers", 0, "goroutines per chunk (default: cores / --workers)")
	f.DurationVar(&o.jobTimeout, "job-timeout", cluster.DefaultJobTimeout, "longest a chunk may run before it is cancelled and retried")
	f.DurationVar(&o.rescueAfter, "rescue-after", cluster.DefaultRescueAfter, "a job running longer than this (its worker was killed) is retried elsewhere; must exceed --job-timeout")
	f.StringVar(&o.id, "id", "", "worker name in River's jobs table (default gisement-<host>-<pid>)")
	f.BoolVar(&o.quiet, "quiet", false, "log warnings only")
	return c
}

func init() {
	rootCmd.AddCommand(newWorkerCmd())
}

func runWorker(ctx context.Context, o workerOptions, stderr io.Writer) error {
	if o.db == "" || (!strings.HasPrefix(o.db, "postgres://") && !strings.HasPrefix(o.db, "postgresql://")) {
		return badInput(fmt.Errorf("--db %q: want a postgres:// URL", redact.Credentials(o.db)))
	}
	if o.workers < 1 || o.chunkWorkers < 0 {
		return badInput(errors.New("--workers must be ≥ 1 and --chunk-workers ≥ 0"))
	}
	if o.rescueAfter <= o.jobTimeout {
		return badInput(fmt.Errorf("--rescue-after %s must exceed --job-timeout %s", o.rescueAfter, o.jobTimeout))
	}
	level := slog.LevelInfo
	if o.quiet {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	err := cluster.Work(ctx, cluster.WorkerOptions{URL: o.db, Workers: o.workers, ChunkWorkers: o.chunkWorkers,
		JobTimeout: o.jobTimeout, RescueAfter: o.rescueAfter, ID: o.id, Logger: logger})
	if err != nil {
		return fmt.Errorf("PostGIS %s: %w", redact.Credentials(o.db), err)
	}
	return nil
}
