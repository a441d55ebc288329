package examples_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rowplane/rowplane/examples/harness"
)

// TestRenderRefusesInjectedValue renders the database-per-node example with the real
// crossplane CLI for an XR whose dbInstanceClass would add region and backup keys to the
// RDSInstance manifest, and proves the function answers with a Fatal naming the resource,
// the field and the variable instead of composing anything.
func TestRenderRefusesInjectedValue(t *testing.T) {
	crossplane := requireCrossplane(t)
	ctx, fn := startFunction(t)
	c := harness.Case{
		Name:        "injected-value",
		Dir:         "testdata",
		XR:          "testdata/injected-xr.yaml",
		Composition: "database-per-node/composition.yaml",
		Functions:   "database-per-node/functions.yaml",
	}
	out, err := harness.Render(ctx, crossplane, fn.Addr, c)
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
func startFunction(t *testing.T) (context.Context, *harness.Function) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	bin, err := harness.BuildFunction(ctx, "..", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fn, err := harness.StartFunction(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fn.Stop)
	return ctx, fn
}
