package golden_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rowplane/rowplane/internal/devstack/crossplanerender"
)

// TestRenderRefusesInjectedValue renders the database-per-node example with the real
// crossplane CLI for an XR whose dbInstanceClass would add region and backup keys to the
// RDSInstance manifest, and proves the function answers with a Fatal naming the resource,
// the field and the variable instead of composing anything.
func TestRenderRefusesInjectedValue(t *testing.T) {
	t.Parallel()
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

// shared is the one function-rowplane process of this package's tests, started by the first
// test that needs it and stopped by TestMain, so the package builds and starts it once.
var shared struct {
	once sync.Once
	dir  string
	fn   *crossplanerender.Function
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.fn != nil {
		shared.fn.Stop()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// startFunction returns the package's function-rowplane, building and starting it on first use.
func startFunction(t *testing.T) (context.Context, *crossplanerender.Function) {
	t.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "rowplane-golden-"); shared.err != nil {
			return
		}
		var bin string
		if bin, shared.err = crossplanerender.BuildFunction(context.Background(), repoRoot, shared.dir); shared.err != nil {
			return
		}
		shared.fn, shared.err = crossplanerender.StartFunction(context.Background(), bin)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return context.Background(), shared.fn
}
