package golden_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rowplane/rowplane/internal/devstack/crossplanerender"
)

// TestRenderRefusesInjectedValue renders the database-per-node example with the real
// crossplane CLI for an XR whose dbInstanceClass would add region and backup keys to the
// RDSInstance manifest, and proves the function answers with a Fatal naming the resource,
// the field and the variable instead of composing anything.
func TestRenderRefusesInjectedValue(t *testing.T) {
	crossplane := requireCrossplane(t)
	ctx, fn := startFunction(t)
	c := crossplanerender.Case{
		Name:        "injected-value",
		Dir:         "testdata",
		XR:          "testdata/injected-xr.yaml",
		Composition: examplesDir + "/database-per-node/composition.yaml",
		Functions:   examplesDir + "/database-per-node/functions.yaml",
	}
	out, err := crossplanerender.Render(ctx, crossplane, fn.Addr, c)
	if err == nil {
		t.Fatalf("crossplane render must fail on a Fatal result, it printed:\n%s", out)
	}
	for _, w := range []string{`resource "rds-instance" field manifest`, "variable dbInstanceClass", "is always one scalar"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the render error does not say %q:\n%v", w, err)
		}
	}
	t.Logf("crossplane render refused the XR: %v", err)
	if strings.Contains(string(out), "eu-attacker-1") {
		t.Errorf("the injected region was composed:\n%s", out)
	}
}

// startFunction builds function-rowplane and starts it for the test; it stops when the test
// ends.
func startFunction(t *testing.T) (context.Context, *crossplanerender.Function) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	bin, err := crossplanerender.BuildFunction(ctx, repoRoot, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fn, err := crossplanerender.StartFunction(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fn.Stop)
	return ctx, fn
}
