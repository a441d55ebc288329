package compose

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/fn/render"
	"github.com/rowplane/rowplane/internal/template"
)

// xrYAML is a claim's XR for tenant acme-corp.
const xrYAML = `
apiVersion: example.rowplane.io/v1alpha1
kind: XNodeDatabase
metadata:
  name: acme-corp-x7k2p
  labels: {crossplane.io/claim-name: acme-corp}
spec: {dbInstanceClass: db.t3.small, dbStorageGb: 50, dbMultiAz: true, planType: pro}
`

func testFunction() *Function {
	return New(logging.NewNopLogger(), render.New(template.New(template.Options{})), time.Now)
}

func mustStruct(t *testing.T, y string) *structpb.Struct {
	t.Helper()
	s := &structpb.Struct{}
	j, err := yaml.YAMLToJSON([]byte(y))
	if err != nil {
		t.Fatalf("bad test YAML: %v", err)
	}
	if err := s.UnmarshalJSON(j); err != nil {
		t.Fatalf("bad test YAML: %v", err)
	}
	return s
}

func newRequest(t *testing.T, xr, form string, desired map[string]string) *fnv1.RunFunctionRequest {
	t.Helper()
	req := &fnv1.RunFunctionRequest{
		Input:    mustStruct(t, form),
		Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: mustStruct(t, xr)}},
		Desired:  &fnv1.State{Resources: map[string]*fnv1.Resource{}},
	}
	for id, y := range desired {
		req.Desired.Resources[id] = &fnv1.Resource{Resource: mustStruct(t, y)}
	}
	return req
}

// assertFatal checks that results are one Fatal on the composite whose message holds every
// fragment.
func assertFatal(t *testing.T, reason string, results []*fnv1.Result, fragments ...string) {
	t.Helper()
	if len(results) != 1 || results[0].GetSeverity() != fnv1.Severity_SEVERITY_FATAL || results[0].GetTarget() != fnv1.Target_TARGET_COMPOSITE {
		t.Fatalf("%s: want one Fatal result on the composite, got %v", reason, results)
	}
	for _, f := range fragments {
		if !strings.Contains(results[0].GetMessage(), f) {
			t.Errorf("%s: the Fatal message does not say %q:\n%s", reason, f, results[0].GetMessage())
		}
	}
}

func fatal(msg string) []*fnv1.Result {
	return []*fnv1.Result{{Severity: fnv1.Severity_SEVERITY_FATAL, Message: msg, Target: fnv1.Target_TARGET_COMPOSITE.Enum()}}
}

func TestRunFunctionRenders(t *testing.T) {
	t.Parallel()
	form := `
apiVersion: fn.rowplane.io/v1beta1
kind: Form
spec:
  hubId: database-per-node
  namespaces:
  - id: ns
    nameTemplate: "node-{{ .uid }}"
    labelsTemplate: {plan: "{{ .planType }}"}
    spec: {apiVersion: v1, kind: Namespace, metadata: {labels: {node-id: "{{ .uid }}"}}}
  manifests:
  - id: rds
    nameTemplate: "{{ .uid }}-postgres"
    manifest: |
      apiVersion: database.aws.crossplane.io/v1beta1
      kind: RDSInstance
      spec:
        forProvider:
          allocatedStorage: {{ .dbStorageGb | int }}
          multiAZ: {{ .dbMultiAz }}
          dbInstanceClass: {{ .dbInstanceClass }}
  deployments:
  - id: app
    nameTemplate: "{{ .uid }}-app"
    targetNamespace: "node-{{ .uid }}"
    annotationsTemplate: {tier: "{{ .planType | upper }}"}
    spec:
      apiVersion: apps/v1
      kind: Deployment
      metadata: {labels: {replicas: '{{ 3 | int }}'}, annotations: {owner: team-a}}
      spec: {replicas: '{{ ternary 2 1 (eq .planType "enterprise") | int }}', paused: '{{ .dbMultiAz | bool }}'}
`
	want := map[string]*fnv1.Resource{
		"ns": {Resource: mustStruct(t, `{apiVersion: v1, kind: Namespace, metadata: {name: node-acme-corp, labels: {node-id: acme-corp, plan: pro}}}`)},
		"rds": {Resource: mustStruct(t, `
apiVersion: database.aws.crossplane.io/v1beta1
kind: RDSInstance
metadata: {name: acme-corp-postgres}
spec: {forProvider: {allocatedStorage: 50, multiAZ: true, dbInstanceClass: db.t3.small}}`)},
		"app": {Resource: mustStruct(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: acme-corp-app, namespace: node-acme-corp, labels: {replicas: "3"}, annotations: {owner: team-a, tier: PRO}}
spec: {replicas: 1, paused: true}`)},
	}
	rsp, err := testFunction().RunFunction(context.Background(), newRequest(t, xrYAML, form, nil))
	if err != nil {
		t.Fatal(err)
	}
	wantResults := []*fnv1.Result{{
		Severity: fnv1.Severity_SEVERITY_NORMAL,
		Message:  "Form fields accepted for LynqForm compatibility and ignored: hubId (the Hub selects the Composition)",
		Target:   fnv1.Target_TARGET_COMPOSITE.Enum(),
	}}
	if diff := cmp.Diff(wantResults, rsp.GetResults(), protocmp.Transform()); diff != "" {
		t.Errorf("results: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff(want, rsp.GetDesired().GetResources(), protocmp.Transform(), protocmp.IgnoreFields(&fnv1.Resource{}, "ready")); diff != "" {
		t.Errorf("a Form renders typed values (int, bool, unquoted manifest values), keeps string-only fields strings and merges label and annotation templates: -want, +got:\n%s", diff)
	}
}

func TestRunFunctionBadInput(t *testing.T) {
	t.Parallel()
	head := "apiVersion: fn.rowplane.io/v1beta1\nkind: Form\nspec:\n"
	cases := map[string]struct {
		reason  string
		xr      string
		form    string
		desired map[string]string
		// want are fragments of the one Fatal message: our own words and the user's ids,
		// fields and values, never a library's wording, which may change between runs.
		want []string
	}{
		"UnknownField": {
			reason: "a typo in the Form is caught by strict decoding",
			form:   head + "  resources:\n  - id: a\n    nameTemplatee: x\n",
			want:   []string{`cannot read the Form input`, `nameTemplatee`},
		},
		"DuplicateID": {
			reason: "ids are unique across every list",
			form:   head + "  configMaps:\n  - {id: a, spec: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}}\n  secrets:\n  - {id: a, spec: {apiVersion: v1, kind: Secret, metadata: {name: y}}}\n",
			want:   []string{`invalid Form: id "a" is used more than once`},
		},
		"DuplicateAcrossSteps": {
			reason:  "an id an earlier pipeline step composed is refused",
			form:    head + "  configMaps:\n  - {id: a, spec: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}}\n",
			desired: map[string]string{"a": "{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}"},
			want:    []string{`invalid Form: id "a" is already composed by an earlier pipeline step`},
		},
		"ManifestNotYAML": {
			reason: "a manifest that is not YAML names the id, the field and the YAML line",
			form:   head + "  manifests:\n  - id: m\n    manifest: |\n      apiVersion: v1\n      kind: ConfigMap\n      data:\n        a: b\n       c: d\n",
			want:   []string{`resource "m" field manifest: the rendered manifest is not YAML`, `rendered lines 4-5`, `"  a: b\n c: d"`},
		},
		"TemplateDoesNotParse": {
			reason: "a template that does not parse names the id, the field and the template line",
			form:   head + "  configMaps:\n  - id: c\n    nameTemplate: x\n    spec: {apiVersion: v1, kind: ConfigMap, data: {k: \"{{ if }}\"}}\n",
			want:   []string{`cannot render the Form; nothing was changed: resource "c" field data.k: template c/data.k line 1: `},
		},
		"ManifestTemplateLine": {
			reason: "an error in a manifest template names the line of the manifest",
			form:   head + "  manifests:\n  - id: m\n    manifest: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: x}\n      data: {n: \"{{ .planType | int }}\"}\n",
			want:   []string{`cannot render the Form; nothing was changed: resource "m" field manifest: template m/manifest line 4: <int>: "pro" is not a number`},
		},
		"NameEmpty": {
			reason: "a name that renders empty is refused",
			form:   head + "  configMaps:\n  - {id: c, nameTemplate: \"{{ .nope }}\", spec: {apiVersion: v1, kind: ConfigMap}}\n",
			want:   []string{`cannot render the Form; nothing was changed: resource "c" field nameTemplate: the name renders empty: set nameTemplate or metadata.name`},
		},
		"NameNotDNS": {
			reason: "a name that is not a DNS-1123 name is refused",
			form:   head + "  configMaps:\n  - {id: c, nameTemplate: \"{{ .planType | upper }}_x\", spec: {apiVersion: v1, kind: ConfigMap}}\n",
			want:   []string{`resource "c" field nameTemplate: "PRO_x" is not a valid ConfigMap name`},
		},
		"TypedNotNumber": {
			reason: "a typed function on a non-number is an error",
			form:   head + "  deployments:\n  - {id: d, nameTemplate: d, spec: {apiVersion: apps/v1, kind: Deployment, spec: {replicas: \"{{ .dbInstanceClass | int }}\"}}}\n",
			want:   []string{`cannot render the Form; nothing was changed: resource "d" field spec.replicas: template d/spec.replicas line 1: <int>: "db.t3.small" is not a number`},
		},
		"AllErrorsReported": {
			reason: "every broken resource is reported in one result, in a stable order",
			form:   head + "  configMaps:\n  - {id: b, spec: {apiVersion: v1, kind: ConfigMap}}\n  - {id: a, spec: {apiVersion: v1, kind: ConfigMap}}\n",
			want:   []string{`cannot render the Form; nothing was changed: resource "a" field nameTemplate: the name renders empty: set nameTemplate or metadata.name; resource "b" field nameTemplate: the name renders empty: set nameTemplate or metadata.name`},
		},
		"NamespacedXROtherNamespace": {
			reason: "a namespaced XR composes only into its own namespace",
			xr:     "{apiVersion: example.rowplane.io/v1, kind: XApp, metadata: {name: x, namespace: team-a}, spec: {}}",
			form:   head + "  configMaps:\n  - {id: c, nameTemplate: c, targetNamespace: team-b, spec: {apiVersion: v1, kind: ConfigMap}}\n",
			want:   []string{`cannot render the Form; nothing was changed: resource "c": targetNamespace "team-b" differs from the composite resource's namespace "team-a"; a namespaced composite resource composes only into its own namespace (use a cluster-scoped XR or a claim to compose into other namespaces)`},
		},
		"SpecAndManifest": {
			reason: "spec and manifest are exclusive",
			form:   head + "  resources:\n  - {id: r, manifest: 'kind: ConfigMap', spec: {apiVersion: v1, kind: ConfigMap}}\n",
			want:   []string{`cannot render the Form; nothing was changed: resource "r": set spec or manifest, not both`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			xr := tc.xr
			if xr == "" {
				xr = xrYAML
			}
			req := newRequest(t, xr, tc.form, tc.desired)
			rsp, err := testFunction().RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			assertFatal(t, tc.reason, rsp.GetResults(), tc.want...)
			if diff := cmp.Diff(req.GetDesired(), rsp.GetDesired(), protocmp.Transform()); diff != "" {
				t.Errorf("%s: a Fatal result must leave the desired state as the request had it: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
