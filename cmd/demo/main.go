// Command demo is `make demo`: the database-per-node use case on a local Crossplane control
// plane (no Docker, no cloud), both rowplane packages installed from the .xpkg files `make xpkg`
// built, fed by an embedded MySQL-compatible database (or MYSQL_DSN, or PG_DSN for PostgreSQL). It inserts, updates and
// deactivates tenants, shows each step as it happens, and exits non-zero when an expected state
// is not reached.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.dir, "dir", "_output/demo", "working directory: logs/, kubeconfig and the control plane's state")
	flag.StringVar(&cfg.xpkgDir, "xpkg-dir", os.Getenv("ROWPLANE_XPKG_DIR"), "directory of the host-platform .xpkg files (make demo builds them)")
	flag.BoolVar(&cfg.keep, "keep", false, "after the summary, keep the stack running until Ctrl-C (make demo KEEP=1)")
	flag.Parse()
	cfg.dsn = os.Getenv("MYSQL_DSN")
	cfg.pgDSN = os.Getenv("PG_DSN")
	cfg.reset = os.Getenv("DEMO_RESET") == "1"

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo FAILED: %v\n", err)
		stop()
		os.Exit(1)
	}
}
