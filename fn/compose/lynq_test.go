package compose

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/fn/simulate"
	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"
)

// lynqFixtures holds a LynqHub and a LynqForm in Lynq's own format, written for these tests.
const lynqFixtures = "../../testdata/lynq"

// TestLynqSampleForm runs a LynqForm's spec, unedited, as a Form.
func TestLynqSampleForm(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(lynqFixtures, "form.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	lynq := map[string]any{}
	if err := yaml.Unmarshal(raw, &lynq); err != nil {
		t.Fatal(err)
	}
	in, err := structpb.NewStruct(map[string]any{"apiVersion": "fn.rowplane.io/v1beta1", "kind": "Form", "spec": lynq["spec"]})
	if err != nil {
		t.Fatal(err)
	}
	xr, err := structpb.NewStruct(map[string]any{
		"apiVersion": "example.rowplane.io/v1alpha1", "kind": "XWebApp",
		"metadata": map[string]any{"name": "acme-x1", "annotations": map[string]any{"rowplane.io/uid": "acme"}},
		"spec":     map[string]any{"hostOrUrl": "https://acme.example.com/", "replicas": int64(3)},
	})
	if err != nil {
		t.Fatal(err)
	}
	req := &fnv1.RunFunctionRequest{Input: in, Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: xr}}}
	steps, err := simulate.Run(context.Background(), testFunction(), req, simulate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rsp := steps[len(steps)-1].Response
	var order [][]string
	for _, s := range steps {
		if len(s.New) > 0 {
			order = append(order, s.New)
		}
	}
	if diff := cmp.Diff([][]string{{"sa"}, {"web"}, {"hpa", "ing", "netpol", "pdb", "svc"}}, order); diff != "" {
		t.Errorf("resources appear in dependIds order once their dependencies are ready; ing comes with svc, which has waitForReady: false: -want, +got:\n%s", diff)
	}
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			t.Fatalf("a LynqForm must render unedited: %s", r.GetMessage())
		}
	}
	var ids []string
	for id := range rsp.GetDesired().GetResources() {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if diff := cmp.Diff([]string{"hpa", "ing", "netpol", "pdb", "sa", "svc", "web"}, ids); diff != "" {
		t.Errorf("every resource of the form is composed once it is ready to be: -want, +got:\n%s", diff)
	}
	get := func(id, path string) any {
		var v any = rsp.GetDesired().GetResources()[id].GetResource().AsMap()
		for _, p := range splitPath(path) {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		}
		return v
	}
	checks := []struct {
		reason, id, path string
		want             any
	}{
		{"nameTemplate renders the uid", "web", "metadata.name", "acme-web"},
		{"numbers stay numbers", "hpa", "spec.maxReplicas", float64(12)},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, get(c.id, c.path)); diff != "" {
			t.Errorf("%s: -want, +got:\n%s", c.reason, diff)
		}
	}
	containers := get("web", "spec.template.spec.containers").([]any)
	c0 := containers[0].(map[string]any)
	if diff := cmp.Diff("registry.example.com/storefront:1.4", c0["image"]); diff != "" {
		t.Errorf("default gives the image when deployImage is unmapped: -want, +got:\n%s", diff)
	}
	env := c0["env"].([]any)
	if diff := cmp.Diff(map[string]any{"name": "SHOP_HOST", "value": "acme.example.com"}, env[1]); diff != "" {
		t.Errorf(".host is the host of hostOrUrl: -want, +got:\n%s", diff)
	}
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return out
}
