package render

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/input/v1beta1"
	"github.com/rowplane/rowplane/internal/template"
)

// composition is the shipped database-per-node example, whose rds-instance manifest the
// first reported attack went through.
const composition = "../../examples/database-per-node/composition.yaml"

func rdsInstance(t testing.TB) *v1beta1.Resource {
	t.Helper()
	raw, err := os.ReadFile(composition)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Spec struct {
			Pipeline []struct {
				Input v1beta1.Form `json:"input"`
			} `json:"pipeline"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Spec.Pipeline[0].Input.Spec.All() {
		if r.ID == "rds-instance" {
			return &r
		}
	}
	t.Fatal("the example has no rds-instance")
	return nil
}

func deployment(t testing.TB) *v1beta1.Resource {
	t.Helper()
	raw, err := os.ReadFile("testdata/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return &v1beta1.Resource{ID: "app", NameTemplate: "{{ .uid }}-app", Manifest: string(raw)}
}

func rdsVars(class string) map[string]any {
	return map[string]any{"uid": "acme-corp", "planType": "pro", "dbInstanceClass": class, "dbStorageGb": int64(50), "dbMultiAz": true}
}

// crbObject turns the RDSInstance into a provider-kubernetes Object that binds the tenant's
// service account to cluster-admin: it closes the quote, writes top-level keys that override
// the template's, and swallows the rest of the template in a block scalar.
const crbObject = "db.t3.small\"\napiVersion: kubernetes.crossplane.io/v1alpha2\nkind: Object\nspec:\n" +
	"  forProvider:\n    manifest:\n      apiVersion: rbac.authorization.k8s.io/v1\n      kind: ClusterRoleBinding\n" +
	"      metadata: {name: tenant-admin}\n      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n" +
	"      subjects: [{kind: ServiceAccount, name: default, namespace: tenants}]\nswallowed: |\n  \""

func TestManifestValueStaysOneScalar(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason   string
		resource func(testing.TB) *v1beta1.Resource
		vars     map[string]any
		wantVars []string
	}{
		"RDSRegionAndBackups": {
			reason:   "a class that closes its quote may not add region and backupRetentionPeriod to the RDSInstance",
			resource: rdsInstance,
			vars:     rdsVars("db.t3.small\"\n    region: \"eu-attacker-1\"\n    backupRetentionPeriod: 0\n    dbParameterGroupName: \"x"),
			wantVars: []string{"dbInstanceClass"},
		},
		"ClusterRoleBindingObject": {
			reason:   "a class may not turn the RDSInstance into an Object holding a ClusterRoleBinding",
			resource: rdsInstance,
			vars:     rdsVars(crbObject),
			wantVars: []string{"dbInstanceClass"},
		},
		"DeploymentHostNetworkPrivileged": {
			reason:   "an image may not add hostNetwork, hostPID and a privileged securityContext to the pod",
			resource: deployment,
			vars: map[string]any{"uid": "acme", "greeting": "hello: world", "image": "nginx:1.27\"\n" +
				"          securityContext: {privileged: true}\n      hostNetwork: true\n      hostPID: true\n      swallowed: |\n        \""},
			wantVars: []string{"image"},
		},
		"FlowSequence": {
			reason:   "an unquoted value may not become a list",
			resource: func(testing.TB) *v1beta1.Resource { return manifestOf("data:\n  v: {{ .v }}\n") },
			vars:     map[string]any{"v": "[a, b]"},
			wantVars: []string{"v"},
		},
		"DocumentSplit": {
			reason:   "a value may not start a second document",
			resource: func(testing.TB) *v1beta1.Resource { return manifestOf("data:\n  v: {{ .v }}\n") },
			vars:     map[string]any{"v": "a\n---\napiVersion: v1\nkind: Secret"},
			wantVars: []string{"v"},
		},
		"Namespace": {
			reason:   "a value may not change metadata.namespace, even to another scalar",
			resource: func(testing.TB) *v1beta1.Resource { return manifestOf("metadata:\n  namespace: t-{{ .v }}\n") },
			vars:     map[string]any{"v": "a#b"},
			wantVars: []string{"v"},
		},
		"NestedVariable": {
			reason:   "a value read through the composite resource is named by its path",
			resource: func(testing.TB) *v1beta1.Resource { return manifestOf("data:\n  v: {{ .xr.spec.v }}\n") },
			vars:     map[string]any{"xr": map[string]any{"spec": map[string]any{"v": "a\nb: c"}}},
			wantVars: []string{"xr.spec.v"},
		},
	}
	rd := New(template.New(template.Options{}))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := tc.resource(t)
			obj, err := rd.Resource(r, tc.vars)
			var re *Error
			var ie *InjectionError
			if !errors.As(err, &re) || !errors.As(err, &ie) {
				t.Fatalf("%s: want an injection error, got object %v, error %v", tc.reason, obj, err)
			}
			if re.ID != r.ID || re.Field != "manifest" {
				t.Errorf("%s: the error names resource %q field %q, want %q field manifest", tc.reason, re.ID, re.Field, r.ID)
			}
			if diff := cmp.Diff(tc.wantVars, ie.Variables); diff != "" {
				t.Errorf("%s: variables named: -want, +got:\n%s", tc.reason, diff)
			}
			if !strings.Contains(err.Error(), "variable "+tc.wantVars[0]) {
				t.Errorf("%s: the message %q does not name the variable", tc.reason, err)
			}
		})
	}
}

func manifestOf(body string) *v1beta1.Resource {
	return &v1beta1.Resource{ID: "cm", Manifest: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n" + strings.TrimPrefix(body, "metadata:\n")}
}

func TestManifestHonestValues(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		r      *v1beta1.Resource
		vars   map[string]any
		want   map[string]any
	}{
		"QuotedURL": {
			reason: "a quoted value with a colon and slashes is one string",
			r:      manifestOf("data:\n  url: \"{{ .url }}\"\n"),
			vars:   map[string]any{"url": "https://acme.example.com:8443/x?y=1#z"},
			want:   map[string]any{"url": "https://acme.example.com:8443/x?y=1#z"},
		},
		"BlockScalar": {
			reason: "a multi-line value indented into a block scalar is one string",
			r:      manifestOf("data:\n  script: |\n    {{- .script | nindent 4 }}\n"),
			vars:   map[string]any{"script": "echo a: b\n- c # d"},
			want:   map[string]any{"script": "echo a: b\n- c # d\n"},
		},
		"ToJSON": {
			reason: "a value piped through toJson is one string whatever it holds",
			r:      manifestOf("data:\n  v: {{ .v | toJson }}\n"),
			vars:   map[string]any{"v": "a\"\nb: [c]"},
			want:   map[string]any{"v": "a\"\nb: [c]"},
		},
		"NegativeNumber": {
			reason: "a leading minus of a number is not a sequence entry",
			r:      manifestOf("data:\n  v: \"{{ .v }}\"\n"),
			vars:   map[string]any{"v": "-1"},
			want:   map[string]any{"v": "-1"},
		},
		"ToJSONMap": {
			reason: "a map the template writes with toJson keeps its keys, colons and all",
			r:      manifestOf("data: {{ .m | toJson }}\n"),
			vars:   map[string]any{"m": map[string]any{"f:spec": "a: b", "url": "http://x"}},
			want:   map[string]any{"f:spec": "a: b", "url": "http://x"},
		},
		"UnreadTaintedValue": {
			reason: "a tainted value the template does not read changes nothing",
			r:      manifestOf("data:\n  v: {{ .v }}\n"),
			vars:   map[string]any{"v": "plain", "other": "a\nb: c"},
			want:   map[string]any{"v": "plain"},
		},
	}
	rd := New(template.New(template.Options{}))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			obj, err := rd.Resource(tc.r, tc.vars)
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, obj.Object["data"]); diff != "" {
				t.Errorf("%s: data: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestManifestOneDocument(t *testing.T) {
	t.Parallel()
	rd := New(template.New(template.Options{}))
	r := manifestOf("data: {a: b}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n")
	_, err := rd.Resource(r, map[string]any{})
	var re *Error
	if !errors.As(err, &re) || re.Field != "manifest" || !errors.Is(err, errMultiDoc) {
		t.Fatalf("a manifest of two documents must be refused, got %v", err)
	}
	r = manifestOf("data: {a: b}\n...\n")
	if _, err := rd.Resource(r, map[string]any{}); err != nil {
		t.Errorf("an explicit document end is one document: %v", err)
	}
}

func TestRDSExampleHonest(t *testing.T) {
	t.Parallel()
	rd := New(template.New(template.Options{}))
	obj, err := rd.Resource(rdsInstance(t), rdsVars("db.t3.small"))
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := unstructured.NestedString(obj.Object, "spec", "forProvider", "dbInstanceClass")
	if got != "db.t3.small" {
		t.Errorf("dbInstanceClass: got %q", got)
	}
}

func TestSpecNamespaceIsADNSLabel(t *testing.T) {
	t.Parallel()
	rd := New(template.New(template.Options{}))
	r := &v1beta1.Resource{ID: "cm", Spec: &runtime.RawExtension{Raw: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"{{ .ns }}"}}`)}}
	_, err := rd.Resource(r, map[string]any{"ns": "tenants\nkube-system"})
	var re *Error
	if !errors.As(err, &re) || re.ID != "cm" || re.Field != "metadata.namespace" {
		t.Fatalf("a namespace that is not a DNS label must be refused naming metadata.namespace, got %v", err)
	}
	obj, err := rd.Resource(r, map[string]any{"ns": "tenants"})
	if err != nil || obj.GetNamespace() != "tenants" {
		t.Errorf("an honest namespace renders: %v, %v", obj, err)
	}
}

func TestInjectionProblem(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		body   string
		v      string
		want   InjectionError
	}{
		"Documents": {"a value that starts a document says so", "data:\n  v: {{ .v }}\n", "a\n---\nkind: Secret",
			InjectionError{Variables: []string{"v"}, Problem: problemDocuments}},
		"BrokenYAML": {"a value that breaks the YAML says so", "data:\n  v: \"{{ .v }}\"\n  w: x\n", "a\"b",
			InjectionError{Variables: []string{"v"}, Problem: problemYAML}},
		"Unchecked": {"a template that fails on the cleaned value is refused: the value cannot be shown to be one scalar",
			"data:\n  v: {{ if contains \"_\" .v }}{{ fail \"no\" }}{{ end }}{{ .v }}\n", "a\nb: c",
			InjectionError{Variables: []string{"v"}, Problem: problemUnchecked}},
		"Path": {"a value that adds a key names the first changed path", "data:\n  v: {{ .v }}\n", "a\n  w: b",
			InjectionError{Variables: []string{"v"}, Path: "$.data"}},
	}
	rd := New(template.New(template.Options{}))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := rd.Resource(manifestOf(tc.body), map[string]any{"v": tc.v})
			var ie *InjectionError
			if !errors.As(err, &ie) {
				t.Fatalf("%s: want an injection error, got %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, *ie); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
