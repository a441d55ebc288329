package golden_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/internal/devstack/crossplanerender"
	"github.com/rowplane/rowplane/internal/lynq"
)

// TestConvertedLynqFormsRender converts a LynqHub and two LynqForms and renders the converted
// Composition with the real crossplane CLI for a tenant: both Form steps compose, with the
// tenant's values, and nothing is Fatal.
func TestConvertedLynqFormsRender(t *testing.T) {
	t.Parallel()
	crossplane := requireCrossplane(t)
	var docs [][]byte
	for _, f := range []string{"hub.yaml", "form.yaml", "form-settings.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "lynq", f))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	in, err := lynq.Decode(docs...)
	if err != nil {
		t.Fatal(err)
	}
	files, err := lynq.Convert(in, "", lynq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		if f.Name != "composition.yaml" {
			continue
		}
		b, err := yaml.Marshal(f.Objects[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	xr := `apiVersion: example.rowplane.io/v1alpha1
kind: XStorefront
metadata:
  name: acme-x1
  annotations: {rowplane.io/uid: acme}
spec: {hostOrUrl: "https://acme.example.com/shop", planId: pro, replicas: "3"}
`
	if err := os.WriteFile(filepath.Join(dir, "xr.yaml"), []byte(xr), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, fn := startFunction(t)
	out, err := crossplanerender.Render(ctx, crossplane, fn.Addr, crossplanerender.Case{
		Name: "lynq", Dir: dir, XR: filepath.Join(dir, "xr.yaml"), Composition: filepath.Join(dir, "composition.yaml"),
		Functions: filepath.Join(examplesDir, "database-per-node", "functions.yaml"),
	})
	if err != nil {
		t.Fatalf("%v\nfunction log:\n%s", err, fn.Log())
	}
	got := string(out)
	for _, want := range []string{
		"name: acme-runner",      // step storefront: the ServiceAccount, which depends on nothing
		"name: acme-settings",    // step storefront-settings: the ConfigMap
		"host: acme.example.com", // .host from hostOrUrl in the second step
		"plan: pro",              // an extraValueMappings field in the second step
		"crossplane.io/composition-resource-name: settings",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the converted Composition's render lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "SEVERITY_FATAL") || strings.Contains(got, "severity: Fatal") {
		t.Errorf("the converted Composition renders without a Fatal result:\n%s", got)
	}
}
