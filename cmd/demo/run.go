package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"
)

// run boots the stack, runs the steps and prints the summary; with cfg.keep it then waits for
// Ctrl-C. Everything started is stopped before it returns.
func run(ctx context.Context, cfg config, out io.Writer) error {
	started := time.Now()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "rowplane demo: rows of a MySQL table become tenants on a local Crossplane control plane\n")
	fmt.Fprintf(out, "use case %s (logs in %s)\n\n", "examples/database-per-node", filepath.Join(cfg.dir, "logs"))
	d, stop, err := boot(ctx, cfg, root, out)
	defer stop()
	if err != nil {
		return withLogs(ctx, err, cfg.dir)
	}
	fmt.Fprintf(out, "\nready in %s\n", seconds(time.Since(started)))
	d.timings.add("demo start → control plane, packages and example ready", time.Since(started))

	for _, step := range []func() error{d.insert, d.updatePlan, d.updateClass, d.deactivate} {
		if err := step(); err != nil {
			return withLogs(ctx, err, cfg.dir)
		}
	}
	d.heading("Summary")
	fmt.Fprint(out, d.timings.render())
	fmt.Fprintf(out, "\n  all expected states reached in %s.\n", seconds(time.Since(started)))
	if !cfg.keep {
		fmt.Fprintf(out, "  To keep the stack running and explore it with kubectl: make demo KEEP=1\n")
		return nil
	}
	return d.keep(cfg)
}

// errInterrupted replaces whatever a step reported when Ctrl-C cut it short.
var errInterrupted = errors.New("interrupted: everything the demo started is stopped")

// withLogs adds where the processes' logs are to a failure.
func withLogs(ctx context.Context, err error, dir string) error {
	if ctx.Err() != nil {
		return errInterrupted
	}
	return fmt.Errorf("%w\n  process logs: %s (crossplane.log, provider-rowplane.log, function-rowplane.log, kube-*.log, demo.log)", err, filepath.Join(dir, "logs"))
}
