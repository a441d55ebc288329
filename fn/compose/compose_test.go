package compose

import (
	"context"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
)

// TestRunFunctionInvalidField proves each enum, minimum, readyWhen and ignoreFields is
// checked for every resource before anything renders: a bad value is a Fatal naming the
// resource, the field, the value and what is allowed, and nothing is composed.
func TestRunFunctionInvalidField(t *testing.T) {
	t.Parallel()
	const head = "apiVersion: fn.rowplane.io/v1beta1\nkind: Form\nspec:\n  configMaps:\n"
	const cm = "spec: {apiVersion: v1, kind: ConfigMap}"
	cases := map[string]struct {
		reason string
		field  string
		want   []string
	}{
		"DeletionPolicy": {"a misspelt Retain no longer means Delete",
			"deletionPolicy: Retian", []string{`resource "c" field deletionPolicy: "Retian" is not allowed; use one of Delete, Retain`}},
		"DeletionPolicyCase": {"enum values are case-sensitive",
			"deletionPolicy: retain", []string{`"retain" is not allowed; use one of Delete, Retain (did you mean Retain?)`}},
		"CreationPolicy": {"creationPolicy accepts only WhenNeeded and Once",
			"creationPolicy: Always", []string{`resource "c" field creationPolicy: "Always" is not allowed; use one of WhenNeeded, Once`}},
		"ConflictPolicy": {"conflictPolicy accepts only Stuck and Force",
			"conflictPolicy: force", []string{`resource "c" field conflictPolicy: "force" is not allowed; use one of Stuck, Force`}},
		"PatchStrategy": {"patchStrategy accepts only apply, merge and replace",
			"patchStrategy: strategic", []string{`resource "c" field patchStrategy: "strategic" is not allowed; use one of apply, merge, replace`}},
		"TimeoutSeconds": {"a negative timeout no longer becomes 300",
			"timeoutSeconds: -5", []string{`resource "c" field timeoutSeconds: -5 is not allowed; use a number of seconds of 1 or more`}},
		"ReadyWhenNotBool": {"readyWhen must return bool, checked at compile",
			`readyWhen: "size(object.metadata.name) + 1"`, []string{`resource "c" field readyWhen:`, "result type is int, want bool", "want a CEL expression over object that returns bool"}},
		"ReadyWhenExcluded": {"readyWhen is checked also when includeWhen leaves the resource out",
			`{includeWhen: "false", readyWhen: "object.status.ready =="}`, []string{`resource "c" field readyWhen:`, "compile"}},
		"IgnoreFieldsNotCreated": {"ignoreFields is checked before the object exists",
			`ignoreFields: ["$.spec[-1].x"]`, []string{`resource "c" field ignoreFields[0]:`, `path "$.spec[-1].x"`}},
		"IgnoreFieldsExcluded": {"ignoreFields is checked also when includeWhen leaves the resource out",
			`{includeWhen: "false", ignoreFields: ["$.status.phase"]}`, []string{`resource "c" field ignoreFields[0]:`, "status is not the template's to ignore"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			item := "  - {id: c, nameTemplate: c, " + cm + ", " + strings.Trim(tc.field, "{}") + "}\n"
			req := newRequest(t, xrYAML, head+item, nil)
			rsp, err := testFunction().RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			res := rsp.GetResults()
			if len(res) != 1 || res[0].GetSeverity() != fnv1.Severity_SEVERITY_FATAL {
				t.Fatalf("%s: want one Fatal result, got %v", tc.reason, res)
			}
			for _, w := range append([]string{"invalid Form: "}, tc.want...) {
				if !strings.Contains(res[0].GetMessage(), w) {
					t.Errorf("%s: the message %q does not say %q", tc.reason, res[0].GetMessage(), w)
				}
			}
			if diff := cmp.Diff(req.GetDesired(), rsp.GetDesired(), protocmp.Transform()); diff != "" {
				t.Errorf("%s: a Fatal result must leave the desired state as the request had it: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestRunFunctionInjectedValue proves a claim value that would add keys to a manifest is a
// Fatal naming the resource, the field and the variable, and composes nothing.
func TestRunFunctionInjectedValue(t *testing.T) {
	t.Parallel()
	form := "apiVersion: fn.rowplane.io/v1beta1\nkind: Form\nspec:\n  manifests:\n  - id: rds\n    nameTemplate: rds\n    manifest: |\n" +
		"      apiVersion: database.aws.crossplane.io/v1beta1\n      kind: RDSInstance\n      spec:\n        forProvider:\n" +
		"          region: us-west-2\n          dbInstanceClass: \"{{ .dbInstanceClass }}\"\n"
	xr := strings.Replace(xrYAML, "dbInstanceClass: db.t3.small", `dbInstanceClass: "db.t3.small\"\n    region: \"eu-attacker-1"`, 1)
	req := newRequest(t, xr, form, nil)
	rsp, err := testFunction().RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	res := rsp.GetResults()
	if len(res) != 1 || res[0].GetSeverity() != fnv1.Severity_SEVERITY_FATAL {
		t.Fatalf("want one Fatal result, got %v", res)
	}
	for _, w := range []string{`resource "rds" field manifest`, "variable dbInstanceClass", "is always one scalar"} {
		if !strings.Contains(res[0].GetMessage(), w) {
			t.Errorf("the message %q does not say %q", res[0].GetMessage(), w)
		}
	}
	if diff := cmp.Diff(req.GetDesired(), rsp.GetDesired(), protocmp.Transform()); diff != "" {
		t.Errorf("a Fatal result must leave the desired state as the request had it: -want, +got:\n%s", diff)
	}
}
