package golden_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/internal/devstack/crossplanerender"
	"github.com/rowplane/rowplane/internal/devstack/tool"
)

// TestGoldensAreSchemaValid runs `crossplane beta validate` over the output of every render
// golden against every schema there is offline: the example's XRD, the Form CRD, the
// provider's CRDs, provider-kubernetes' CRDs and Crossplane's own. The CLI has no schemas for
// Kubernetes' built-in kinds or for other providers' managed resources offline: it reports
// those as missing and validates the rest.
//
// crossplane render prints the composite resource without its spec, so the XR is checked with
// the case's input spec and the rendered status together.
func TestGoldensAreSchemaValid(t *testing.T) {
	crossplane := requireCrossplane(t)
	schemas := requireSchemas(t)
	examples, err := filepath.Glob(filepath.Join(examplesDir, "*", "render"))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range examples {
		example := filepath.Dir(r)
		cases, err := crossplanerender.Cases(example)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) == 0 {
			continue
		}
		t.Run(filepath.Base(example), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var docs []string
			for _, c := range cases {
				d, err := validatable(c)
				if err != nil {
					t.Fatalf("%s: %v", c.Name, err)
				}
				docs = append(docs, d...)
			}
			resources := filepath.Join(dir, "resources.yaml")
			if err := os.WriteFile(resources, []byte(strings.Join(docs, "---\n")), 0o600); err != nil {
				t.Fatal(err)
			}
			// The CLI looks for Crossplane's own schemas in its cache and downloads them when
			// absent; a copy of the staged schemas keeps it offline and the tool cache untouched.
			cache := filepath.Join(dir, "cache")
			if err := os.CopyFS(cache, os.DirFS(filepath.Join(schemas, "crossplane-cache"))); err != nil {
				t.Fatal(err)
			}
			extensions := strings.Join([]string{filepath.Join(example, "xrd.yaml"), filepath.Join(repoRoot, "package/provider/crds"),
				filepath.Join(repoRoot, "package/function/input"), filepath.Join(schemas, "provider-kubernetes")}, ",")
			cmd := exec.Command(crossplane, "beta", "validate", "--cache-dir", cache, "--skip-success-results", extensions, resources) //nolint:gosec // the pinned CLI.
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				t.Errorf("crossplane beta validate: %v\n%s", err, out.String())
			}
			t.Logf("%d objects from %d goldens validated:\n%s", len(docs), len(cases), out.String())
		})
		total += len(cases)
	}
	if total == 0 {
		t.Fatal("no render goldens found")
	}
}

// validatable returns the documents of a golden worth validating, as YAML: the composite
// resource with the case's spec and the rendered status, and every composed resource.
func validatable(c crossplanerender.Case) ([]string, error) {
	xrIn := &unstructured.Unstructured{}
	b, err := os.ReadFile(c.XR)
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(b, &xrIn.Object); err != nil {
		return nil, fmt.Errorf("%s: %w", c.XR, err)
	}
	golden, err := os.ReadFile(c.Golden)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, doc := range strings.Split(string(golden), "\n---\n") {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(strings.TrimPrefix(doc, "---\n")), &u.Object); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Golden, err)
		}
		if len(u.Object) == 0 || u.GetKind() == "Result" {
			continue
		}
		if u.GetKind() == xrIn.GetKind() && u.GetName() == xrIn.GetName() {
			full := xrIn.DeepCopy()
			if st, ok := u.Object["status"]; ok {
				full.Object["status"] = st
			}
			u = full
		}
		y, err := yaml.Marshal(u.Object)
		if err != nil {
			return nil, err
		}
		out = append(out, string(y))
	}
	return out, nil
}

// requireSchemas returns the offline schemas make tools stages.
func requireSchemas(t *testing.T) string {
	return tool.Require(t, "ROWPLANE_SCHEMAS", "offline schemas")
}
