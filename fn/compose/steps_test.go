package compose

import (
	"context"
	"sort"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"
)

// TestFormSteps runs two Form steps as Crossplane's pipeline does (desired state and context
// carried from step to step): the second step's app depends on the first step's namespace.
func TestFormSteps(t *testing.T) {
	t.Parallel()
	step1 := `
apiVersion: fn.rowplane.io/v1beta1
kind: Form
spec:
  namespaces:
  - {id: ns, nameTemplate: "node-{{ .uid }}", spec: {apiVersion: v1, kind: Namespace}}
`
	step2 := `
apiVersion: fn.rowplane.io/v1beta1
kind: Form
spec:
  configMaps:
  - {id: app, nameTemplate: app, targetNamespace: "node-{{ .uid }}", dependIds: [ns], spec: {apiVersion: v1, kind: ConfigMap}}
`
	cycle := `
apiVersion: fn.rowplane.io/v1beta1
kind: Form
spec:
  configMaps:
  - {id: a, nameTemplate: a, dependIds: [b, ns], spec: {apiVersion: v1, kind: ConfigMap}}
  - {id: b, nameTemplate: b, dependIds: [a], spec: {apiVersion: v1, kind: ConfigMap}}
`
	run := func(t *testing.T, observed map[string]string, forms ...string) *fnv1.RunFunctionResponse {
		t.Helper()
		req := newRequest(t, xrYAML, forms[0], nil)
		req.Observed.Resources = map[string]*fnv1.Resource{}
		for id, y := range observed {
			req.Observed.Resources[id] = &fnv1.Resource{Resource: mustStruct(t, y)}
		}
		var rsp *fnv1.RunFunctionResponse
		for _, f := range forms {
			req.Input = mustStruct(t, f)
			var err error
			if rsp, err = testFunction().RunFunction(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			req.Desired, req.Context = rsp.GetDesired(), rsp.GetContext()
		}
		return rsp
	}
	ids := func(rsp *fnv1.RunFunctionResponse) []string {
		var out []string
		for id := range rsp.GetDesired().GetResources() {
			out = append(out, id)
		}
		sort.Strings(out)
		return out
	}
	activeNS := map[string]string{"ns": "{apiVersion: v1, kind: Namespace, metadata: {name: node-acme-corp}, status: {phase: Active}}"}

	t.Run("WaitsAcrossSteps", func(t *testing.T) {
		t.Parallel()
		rsp := run(t, nil, step1, step2)
		if diff := cmp.Diff([]string{"ns"}, ids(rsp)); diff != "" {
			t.Errorf("the second step's app waits for the first step's namespace: -want, +got:\n%s", diff)
		}
	})
	t.Run("ProceedsAcrossSteps", func(t *testing.T) {
		t.Parallel()
		rsp := run(t, activeNS, step1, step2)
		if diff := cmp.Diff([]string{"app", "ns"}, ids(rsp)); diff != "" {
			t.Errorf("once the namespace is Active the second step emits the app and keeps the first step's namespace: -want, +got:\n%s", diff)
		}
	})
	t.Run("DuplicateAcrossSteps", func(t *testing.T) {
		t.Parallel()
		rsp := run(t, activeNS, step1, step1)
		want := fatal(`invalid Form: id "ns" is already composed by an earlier pipeline step`)
		if diff := cmp.Diff(want[0].GetMessage(), rsp.GetResults()[0].GetMessage()); diff != "" {
			t.Errorf("an id of an earlier step is refused: -want, +got:\n%s", diff)
		}
	})
	t.Run("CycleNamesIDs", func(t *testing.T) {
		t.Parallel()
		rsp := run(t, activeNS, step1, cycle)
		got := rsp.GetResults()[0]
		if diff := cmp.Diff("invalid dependIds; nothing was changed: dependency cycle: a -> b -> a", got.GetMessage()); diff != "" {
			t.Errorf("a cycle is Fatal and names its ids: -want, +got:\n%s", diff)
		}
		cond := rsp.GetConditions()
		if len(cond) != 1 || cond[0].GetReason() != "FormError" || cond[0].GetMessage() != got.GetMessage() || cond[0].GetTarget() != fnv1.Target_TARGET_COMPOSITE_AND_CLAIM {
			t.Errorf("a Fatal error is also a ResourcesReady=False FormError condition on the XR and the claim, got %v", cond)
		}
		if diff := cmp.Diff([]string{"ns"}, ids(rsp)); diff != "" {
			t.Errorf("a Fatal step leaves the earlier steps' desired state as it was: -want, +got:\n%s", diff)
		}
	})
}
