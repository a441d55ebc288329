package main

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// goldenComposed reads the composed resources of a render golden by id, keeping what the
// function emits (Crossplane adds owner references and its own labels on top).
func goldenComposed(t *testing.T, c string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../examples/database-per-node/render/" + c + "/expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, doc := range strings.Split(string(raw), "\n---\n") {
		m := map[string]any{}
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatal(err)
		}
		md, _ := m["metadata"].(map[string]any)
		ann, _ := md["annotations"].(map[string]any)
		id, ok := ann["crossplane.io/composition-resource-name"].(string)
		if !ok {
			continue
		}
		delete(ann, "crossplane.io/composition-resource-name")
		if len(ann) == 0 {
			delete(md, "annotations")
		}
		delete(md, "ownerReferences")
		labels, _ := md["labels"].(map[string]any)
		for k := range labels {
			if strings.HasPrefix(k, "crossplane.io/") {
				delete(labels, k)
			}
		}
		if len(labels) == 0 {
			delete(md, "labels")
		}
		out[id] = m
	}
	return out
}

// TestSimulateMatchesGoldens proves `function-rowplane simulate` walks the same rollout as the
// staged render goldens that the real crossplane CLI produces.
func TestSimulateMatchesGoldens(t *testing.T) {
	t.Parallel()
	cmd := &SimulateCmd{Composition: "../examples/database-per-node/composition.yaml", XR: "../examples/database-per-node/xr.yaml", FixedTime: "2026-01-01T00:00:00Z"}
	steps, err := cmd.simulate()
	if err != nil {
		t.Fatal(err)
	}
	// Step n of the simulation is golden case n: nothing observed, then the namespace
	// ready, then the RDS instance ready; case 05 is the settled state.
	goldens := []string{"01-nothing-observed", "02-namespace-active", "04-rds-ready", "05-app-available"}
	if len(steps) < len(goldens) {
		t.Fatalf("want at least %d steps, got %d", len(goldens), len(steps))
	}
	for i, g := range goldens {
		got := map[string]any{}
		for id, r := range steps[i].Response.GetDesired().GetResources() {
			got[id] = r.GetResource().AsMap()
		}
		if diff := cmp.Diff(goldenComposed(t, g), got); diff != "" {
			t.Errorf("simulate step %d differs from golden %s: -want, +got:\n%s", i+1, g, diff)
		}
	}
}
