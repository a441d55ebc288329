package stack

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pkg/errors"
)

// CrossplaneModule is the Crossplane release the control plane runs, whose CRDs core init installs.
const CrossplaneModule = "github.com/crossplane/crossplane/v2@v2.2.1"

// ToolPath returns the path in the environment variable env, else the one .ci/tools.sh under
// root names for the tool. The path may not exist.
func ToolPath(ctx context.Context, root, env, name string) (string, error) {
	if p := os.Getenv(env); p != "" {
		return p, nil
	}
	out, err := exec.CommandContext(ctx, filepath.Join(root, ".ci", "tools.sh"), "path", name).Output() //nolint:gosec // the repository's script.
	if err != nil {
		return "", errors.Wrapf(err, ".ci/tools.sh path %s", name)
	}
	return strings.TrimSpace(string(out)), nil
}

// CrossplaneCRDs returns Crossplane's cluster/crds of CrossplaneModule from the module cache,
// downloading the module through the Go proxy when needed, or ROWPLANE_CROSSPLANE_CRDS when set.
func CrossplaneCRDs(ctx context.Context) (string, error) {
	if p := os.Getenv("ROWPLANE_CROSSPLANE_CRDS"); p != "" {
		return p, nil
	}
	dir, err := ModuleDir(ctx, CrossplaneModule)
	return filepath.Join(dir, "cluster", "crds"), err
}

// ModuleDir returns where the module cache holds module@version, downloading it through the
// Go proxy when needed.
func ModuleDir(ctx context.Context, module string) (string, error) {
	tmp, err := os.MkdirTemp("", "rowplane-module-")
	if err != nil {
		return "", errors.Wrap(err, "temporary directory")
	}
	defer os.RemoveAll(tmp) //nolint:errcheck // best effort.
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module)
	cmd.Dir = tmp // outside the clone: never touch its go.mod or go.sum.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		return "", errors.Wrapf(err, "go mod download %s", module)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		return "", errors.Errorf("go mod download %s: %v: %s", module, err, out)
	}
	return m.Dir, nil
}

// PackageFiles returns the .xpkg files of this platform in dir, as make xpkg names them.
func PackageFiles(dir string) (Packages, error) {
	plat := runtime.GOOS + "_" + runtime.GOARCH
	p := Packages{
		Function: filepath.Join(dir, "function-rowplane_"+plat+".xpkg"),
		Provider: filepath.Join(dir, "provider-rowplane_"+plat+".xpkg"),
	}
	for _, f := range []string{p.Function, p.Provider} {
		if _, err := os.Stat(f); err != nil {
			return p, errors.Wrapf(err, "package file %s (build it with make xpkg)", f)
		}
	}
	return p, nil
}
