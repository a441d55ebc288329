//go:build e2e

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rowplane/rowplane/internal/devstack/stack"
)

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

// crossplaneCRDs returns Crossplane's cluster/crds of the pinned release (stack.CrossplaneCRDs).
func crossplaneCRDs(t *testing.T) string {
	t.Helper()
	p, err := stack.CrossplaneCRDs(context.Background())
	if err != nil {
		unavailable(t, "%v", err)
	}
	return p
}

// xpkgs returns the package files of this platform: from ROWPLANE_XPKG_DIR when set (the
// Makefile builds them with make xpkg), else built here with make xpkg.
func xpkgs(t *testing.T) stack.Packages {
	t.Helper()
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
	p, err := stack.PackageFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
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
