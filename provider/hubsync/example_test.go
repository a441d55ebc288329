package hubsync_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

const exampleDir = "../../examples/database-per-node"

// TestExampleHub runs the example Hub against the seed's nodes table and expects the example
// claim, so the manifests in examples/ stay true.
func TestExampleHub(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	example := &v1alpha1.Hub{}
	readYAML(t, filepath.Join(exampleDir, "hub", "hub.yaml"), example)
	h.seedHub(func(hub *v1alpha1.Hub) {
		hub.Spec = example.Spec
		hub.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "default"}
	}, `INSERT INTO nodes (node_id, is_active, db_instance_class, db_storage_gb, db_multi_az, plan_type)
		VALUES ('acme-corp', TRUE, 'db.t3.small', 50, TRUE, 'pro')`)
	h.sync()

	wantSpec := exampleClaimSpec(t)
	if diff := cmp.Diff(map[string]map[string]any{"acme-corp": wantSpec}, h.claims()); diff != "" {
		t.Errorf("the example Hub should write the example claim: -want +got:\n%s", diff)
	}
}

// exampleClaimSpec is the spec of the example's claim.yaml as the Hub writes it.
func exampleClaimSpec(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(exampleDir, "claim.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	want := &unstructured.Unstructured{}
	if err := want.UnmarshalJSON(j); err != nil {
		t.Fatal(err)
	}
	wantSpec, _, _ := unstructured.NestedMap(want.Object, "spec")
	wantSpec["compositionRef"] = map[string]any{"name": "database-per-node"}
	return wantSpec
}

func readYAML(t *testing.T, path string, into any) {
	t.Helper()
	b, err := os.ReadFile(path) //nolint:gosec // test fixture path.
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
