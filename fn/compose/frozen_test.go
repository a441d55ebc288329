package compose

import (
	"context"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/rowplane/rowplane/fn/policy"
)

// frozenConfigMap is a live ConfigMap created Once, its first render frozen in the annotation.
const frozenConfigMap = `{apiVersion: v1, kind: ConfigMap, metadata: {name: first, annotations: {` + policy.AnnotationOnce + `: '{"apiVersion":"v1","data":{"plan":"basic"},"kind":"ConfigMap","metadata":{"name":"first"}}', crossplane.io/composition-resource-name: m}}, data: {plan: basic}}`

func TestRunFunctionFrozenNotRendered(t *testing.T) {
	t.Parallel()
	head := "apiVersion: fn.rowplane.io/v1beta1\nkind: Form\nspec:\n  manifests:\n  - id: m\n    creationPolicy: Once\n"
	cases := map[string]struct {
		reason string
		form   string
		// wantFatal are fragments of the one Fatal message; empty when the call succeeds.
		wantFatal []string
	}{
		"TemplateNoLongerRenders": {
			reason: "A frozen Once object is emitted as frozen without rendering its template, which today fails (planType is not a number).",
			form:   head + "    manifest: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: x}\n      data: {n: \"{{ .planType | int }}\"}\n",
		},
		"FormStillValidated": {
			reason:    "Skipping the render of a frozen object does not skip validating its resource: a bad readyWhen still fails.",
			form:      head + "    readyWhen: \"object.status.\"\n    manifest: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: x}\n",
			wantFatal: []string{`resource "m" field readyWhen`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, xrYAML, tc.form, nil)
			req.Observed.Resources = map[string]*fnv1.Resource{"m": {Resource: mustStruct(t, frozenConfigMap)}}
			rsp, err := testFunction().RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.wantFatal) > 0 {
				assertFatal(t, tc.reason, rsp.GetResults(), tc.wantFatal...)
				return
			}
			for _, r := range rsp.GetResults() {
				if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
					t.Fatalf("%s: unexpected Fatal: %s", tc.reason, r.GetMessage())
				}
			}
			want := mustStruct(t, strings.Replace(frozenConfigMap, ", crossplane.io/composition-resource-name: m", "", 1))
			want.Fields["data"] = mustStruct(t, `{data: {plan: basic}}`).Fields["data"]
			got := rsp.GetDesired().GetResources()["m"].GetResource()
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRunFunctionFrozenCache(t *testing.T) {
	t.Parallel()
	form := "apiVersion: fn.rowplane.io/v1beta1\nkind: Form\nspec:\n  manifests:\n  - id: m\n    creationPolicy: Once\n    manifest: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: x}\n"
	second := strings.ReplaceAll(frozenConfigMap, "basic", "enterprise")
	f := testFunction()
	for i, step := range []struct {
		reason, observed, wantPlan string
	}{
		{reason: "the frozen object is emitted", observed: frozenConfigMap, wantPlan: "basic"},
		{reason: "the same frozen object again comes from the cache", observed: frozenConfigMap, wantPlan: "basic"},
		{reason: "another frozen annotation is another object, not the cached one", observed: second, wantPlan: "enterprise"},
	} {
		req := newRequest(t, xrYAML, form, nil)
		req.Observed.Resources = map[string]*fnv1.Resource{"m": {Resource: mustStruct(t, step.observed)}}
		rsp, err := f.RunFunction(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got := rsp.GetDesired().GetResources()["m"].GetResource().GetFields()["data"].GetStructValue().GetFields()["plan"].GetStringValue()
		if got != step.wantPlan {
			t.Errorf("call %d: %s: data.plan = %q, want %q", i, step.reason, got, step.wantPlan)
		}
	}
}
