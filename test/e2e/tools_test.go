//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// crossplaneModule is the Crossplane release the suite runs, whose CRDs core init installs.
const crossplaneModule = "github.com/crossplane/crossplane/v2@v2.2.1"

// repoRoot is the clone the suite runs in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// unavailable skips the suite, or fails it under CI=true, where every tool must be present.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (run make tools; set CI=true to make this a failure)", args...)
}

// tool returns the path in env, else the one .ci/tools.sh names, and skips (fails under CI)
// when nothing is there.
func tool(t *testing.T, env, name string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		out, err := exec.Command(filepath.Join(repoRoot(t), ".ci", "tools.sh"), "path", name).Output()
		if err != nil {
			t.Fatalf(".ci/tools.sh path %s: %v", name, err)
		}
		p = strings.TrimSpace(string(out))
	}
	if _, err := os.Stat(p); err != nil {
		unavailable(t, "no %s at %q (%s)", name, p, env)
	}
	return p
}

// crossplaneCRDs returns Crossplane's cluster/crds of the pinned release from the module
// cache, downloading the module through the Go proxy when needed.
func crossplaneCRDs(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ROWPLANE_CROSSPLANE_CRDS"); p != "" {
		return p
	}
	cmd := exec.Command("go", "mod", "download", "-json", crossplaneModule)
	cmd.Dir = t.TempDir() // outside the clone: never touch its go.mod or go.sum.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		unavailable(t, "go mod download %s: %v", crossplaneModule, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s: %v: %s", crossplaneModule, err, out)
	}
	return filepath.Join(m.Dir, "cluster", "crds")
}

// xpkgs returns the package files of this platform, function first: from ROWPLANE_XPKG_DIR
// when set (the Makefile builds them with make xpkg), else built here with make xpkg.
func xpkgs(t *testing.T) (function, provider string) {
	t.Helper()
	plat := runtime.GOOS + "_" + runtime.GOARCH
	dir := os.Getenv("ROWPLANE_XPKG_DIR")
	if dir == "" {
		out := t.TempDir()
		cmd := exec.Command("make", "-C", repoRoot(t), "--no-print-directory", "xpkg",
			"PLATFORMS="+runtime.GOOS+"/"+runtime.GOARCH, "OUT="+out)
		cmd.Env = withoutMakeFlags()
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make xpkg: %v\n%s", err, b)
		}
		dir = filepath.Join(out, "xpkg")
	}
	function = filepath.Join(dir, "function-rowplane_"+plat+".xpkg")
	provider = filepath.Join(dir, "provider-rowplane_"+plat+".xpkg")
	for _, p := range []string{function, provider} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("package file %s: %v (build it with make xpkg)", p, err)
		}
	}
	return function, provider
}

// withoutMakeFlags is the environment without a calling make's jobserver and flags.
func withoutMakeFlags() []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "MAKEFLAGS=") && !strings.HasPrefix(e, "MFLAGS=") && !strings.HasPrefix(e, "MAKELEVEL=") {
			env = append(env, e)
		}
	}
	return env
}
