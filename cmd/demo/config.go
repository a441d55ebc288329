package main

import (
	"os"
	"path/filepath"

	"github.com/pkg/errors"
)

// config is what the command line and the environment ask for.
type config struct {
	// dir holds logs/, the kubeconfig and the control plane's state.
	dir string
	// xpkgDir holds function-rowplane_<os>_<arch>.xpkg and provider-rowplane_<os>_<arch>.xpkg.
	xpkgDir string
	// dsn is MYSQL_DSN: a real MySQL/MariaDB instead of the embedded database.
	dsn string
	// pgDSN is PG_DSN: a PostgreSQL database instead, read by the example's hub-postgres Hub.
	pgDSN string
	// reset is DEMO_RESET=1: delete the rows of an existing, non-empty nodes table.
	reset bool
	// keep leaves the stack running after the summary until Ctrl-C.
	keep bool
}

// repoRoot returns the directory holding go.mod at or above the working directory: the demo
// reads the example and the install manifests from the clone.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", errors.Wrap(err, "working directory")
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the rowplane clone: run make demo from it")
		}
		dir = parent
	}
}
