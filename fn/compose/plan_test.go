package compose

import (
	"context"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

func TestPlanCache(t *testing.T) {
	t.Parallel()
	head := "apiVersion: fn.rowplane.io/v1beta1\nkind: Form\nspec:\n  configMaps:\n"
	a := head + "  - {id: a, nameTemplate: first, spec: {apiVersion: v1, kind: ConfigMap}}\n"
	b := head + "  - {id: a, nameTemplate: second, spec: {apiVersion: v1, kind: ConfigMap}}\n"
	bad := head + "  - {id: a, nameTemplate: x, creationPolicy: Sometimes, spec: {apiVersion: v1, kind: ConfigMap}}\n"
	f := testFunction()
	call := func(form string) *fnv1.RunFunctionResponse {
		t.Helper()
		rsp, err := f.RunFunction(context.Background(), newRequest(t, xrYAML, form, nil))
		if err != nil {
			t.Fatal(err)
		}
		return rsp
	}
	name := func(rsp *fnv1.RunFunctionResponse) string {
		return rsp.GetDesired().GetResources()["a"].GetResource().GetFields()["metadata"].GetStructValue().GetFields()["name"].GetStringValue()
	}
	for i, step := range []struct {
		reason, form, wantName string
		wantFatal              bool
	}{
		{reason: "the first Form renders", form: a, wantName: "first"},
		{reason: "a different Form on the same function is decoded, not taken from the cache", form: b, wantName: "second"},
		{reason: "the first Form again comes from the cache and renders the same", form: a, wantName: "first"},
		{reason: "an invalid Form is refused", form: bad, wantFatal: true},
		{reason: "an invalid Form is refused again when its plan is cached", form: bad, wantFatal: true},
	} {
		rsp := call(step.form)
		if step.wantFatal {
			assertFatal(t, step.reason, rsp.GetResults(), `resource "a" field creationPolicy`)
			continue
		}
		if got := name(rsp); got != step.wantName {
			t.Errorf("call %d: %s: name = %q, want %q", i, step.reason, got, step.wantName)
		}
	}
}
