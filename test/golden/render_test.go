package golden_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/internal/devstack/crossplanerender"
	"github.com/rowplane/rowplane/internal/devstack/tool"
)

// repoRoot and examplesDir are relative to this package.
const (
	repoRoot    = "../.."
	examplesDir = repoRoot + "/examples"
)

// TestRenderExamples renders every case of every example with the real crossplane CLI and
// compares the output with the committed golden (expected.yaml). ROWPLANE_UPDATE_GOLDEN=1
// rewrites the goldens instead (make golden).
func TestRenderExamples(t *testing.T) {
	crossplane := requireCrossplane(t)
	ctx, fn := startFunction(t)

	examples, err := filepath.Glob(filepath.Join(examplesDir, "*", "render"))
	if err != nil {
		t.Fatal(err)
	}
	update := os.Getenv("ROWPLANE_UPDATE_GOLDEN") != ""
	total := 0
	for _, r := range examples {
		example := filepath.Dir(r)
		cases, err := crossplanerender.Cases(example)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			total++
			t.Run(filepath.Base(example)+"/"+c.Name, func(t *testing.T) {
				got, err := crossplanerender.Render(ctx, crossplane, fn.Addr, c)
				if err != nil {
					t.Fatalf("%v\nfunction log:\n%s", err, fn.Log())
				}
				if update {
					if err := os.WriteFile(c.Golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(c.Golden)
				if err != nil {
					t.Fatalf("cannot read the golden (run make golden to create it): %v", err)
				}
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("crossplane render %s differs from %s (-want, +got); if the change is intended run make golden and review the diff:\n%s", c.Dir, c.Golden, diff)
				}
			})
		}
	}
	if total == 0 {
		t.Fatal("no render cases found under examples/*/render")
	}
}

// requireCrossplane returns the crossplane CLI built by make tools.
func requireCrossplane(t *testing.T) string {
	return tool.Require(t, "ROWPLANE_CROSSPLANE", "crossplane CLI")
}
