package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestIgnoreFields(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason   string
		desired  string
		observed string
		paths    []string
		want     string
		wantErr  string
	}{
		"HPAReplicas": {
			reason:   "Replicas an HPA changed are kept, so the function never fights the autoscaler.",
			desired:  `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app}, spec: {replicas: 1, template: {x: 1}}}`,
			observed: `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app, uid: u, managedFields: [{manager: hpa}]}, spec: {replicas: 7, template: {x: 2}}, status: {replicas: 7}}`,
			paths:    []string{"$.spec.replicas"},
			want:     `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app}, spec: {replicas: 7, template: {x: 1}}}`,
		},
		"DottedLabel": {
			reason:   "A bracketed key reaches a label with dots and slashes; missing maps are created.",
			desired:  `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}`,
			observed: `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: {example.com/tier: gold}}}`,
			paths:    []string{"$.metadata.labels['example.com/tier']"},
			want:     `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: {example.com/tier: gold}}}`,
		},
		"ListIndex": {
			reason:   "An index reaches into a list the rendered object has.",
			desired:  `{apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: [{name: app, image: app:1}]}}}}`,
			observed: `{apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: [{name: app, image: app:2}]}}}}`,
			paths:    []string{"$.spec.template.spec.containers[0].image"},
			want:     `{apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: [{name: app, image: app:2}]}}}}`,
		},
		"ListIndexMissingInDesired": {
			reason:   "A list element the render lacks is not invented.",
			desired:  `{apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: []}}}}`,
			observed: `{apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: [{image: app:2}]}}}}`,
			paths:    []string{"$.spec.template.spec.containers[0].image"},
			want:     `{apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: []}}}}`,
		},
		"AbsentInObserved": {
			reason:   "A field the live object lacks leaves the render as is.",
			desired:  `{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 2}}`,
			observed: `{apiVersion: apps/v1, kind: Deployment, spec: {}}`,
			paths:    []string{"$.spec.replicas"},
			want:     `{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 2}}`,
		},
		"NotObserved": {
			reason:  "A new object is created from its template.",
			desired: `{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 2}}`,
			paths:   []string{"$.spec.replicas"},
			want:    `{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 2}}`,
		},
		"Status": {
			reason:  "status is never copied.",
			desired: `{kind: Deployment}`,
			paths:   []string{"$.status.replicas"},
			wantErr: `ignoreFields: path "$.status.replicas": status is not the template's to ignore`,
		},
		"ManagedFields": {
			reason:  "managedFields are never copied.",
			desired: `{kind: Deployment}`,
			paths:   []string{"$.metadata.managedFields"},
			wantErr: `metadata.managedFields is set by the server and never copied`,
		},
		"ResourceVersion": {
			reason:  "Server-set metadata is never copied.",
			desired: `{kind: Deployment}`,
			paths:   []string{"$.metadata['resourceVersion']"},
			wantErr: `metadata.resourceVersion is set by the server and never copied`,
		},
		"WholeMetadata": {
			reason:  "All of metadata would include server-set fields.",
			desired: `{kind: Deployment}`,
			paths:   []string{"$.metadata"},
			wantErr: `ignore single metadata fields`,
		},
		"Malformed": {
			reason:  "A malformed path is an error naming it.",
			desired: `{kind: Deployment}`,
			paths:   []string{"$.spec.containers[-1].image"},
			wantErr: `ignoreFields: path "$.spec.containers[-1].image": at offset 17: index "-1" is not a non-negative integer or *`,
		},
		"WildcardContainers": {
			reason:   "[*] keeps the resources a VPA set on every container, as Lynq's $.spec.template.spec.containers[*].resources does.",
			desired:  `{kind: Deployment, spec: {template: {spec: {containers: [{name: app, resources: {cpu: 1}}, {name: side, resources: {cpu: 1}}]}}}}`,
			observed: `{kind: Deployment, spec: {template: {spec: {containers: [{name: app, resources: {cpu: 3}}, {name: side, resources: {cpu: 2}}]}}}}`,
			paths:    []string{"$.spec.template.spec.containers[*].resources"},
			want:     `{kind: Deployment, spec: {template: {spec: {containers: [{name: app, resources: {cpu: 3}}, {name: side, resources: {cpu: 2}}]}}}}`,
		},
		"WildcardObservedLonger": {
			reason:   "An element only the live object has is not invented in the render.",
			desired:  `{kind: Deployment, spec: {containers: [{image: a:1}]}}`,
			observed: `{kind: Deployment, spec: {containers: [{image: a:2}, {image: injected:1}]}}`,
			paths:    []string{"$.spec.containers[*].image"},
			want:     `{kind: Deployment, spec: {containers: [{image: a:2}]}}`,
		},
		"WildcardDesiredLonger": {
			reason:   "An element only the render has stays as rendered: elements pair up by position.",
			desired:  `{kind: Deployment, spec: {containers: [{image: a:1}, {image: b:1}]}}`,
			observed: `{kind: Deployment, spec: {containers: [{image: a:2}]}}`,
			paths:    []string{"$.spec.containers[*].image"},
			want:     `{kind: Deployment, spec: {containers: [{image: a:2}, {image: b:1}]}}`,
		},
		"WildcardNested": {
			reason:   "Wildcards nest: every port of every container.",
			desired:  `{kind: Deployment, spec: {containers: [{ports: [{p: 1}, {p: 1}]}, {ports: [{p: 1}]}]}}`,
			observed: `{kind: Deployment, spec: {containers: [{ports: [{p: 2}, {p: 3}]}, {ports: [{p: 4}]}]}}`,
			paths:    []string{"$.spec.containers[*].ports[*].p"},
			want:     `{kind: Deployment, spec: {containers: [{ports: [{p: 2}, {p: 3}]}, {ports: [{p: 4}]}]}}`,
		},
		"WildcardMap": {
			reason:   "On a map [*] is every key the live object has; keys only the render has stay.",
			desired:  `{kind: ConfigMap, metadata: {labels: {a: "1", mine: x}}}`,
			observed: `{kind: ConfigMap, metadata: {labels: {a: "2", added.by/admin: y}}}`,
			paths:    []string{"$.metadata.labels[*]"},
			want:     `{kind: ConfigMap, metadata: {labels: {a: "2", mine: x, added.by/admin: y}}}`,
		},
		"WildcardAbsentInObserved": {
			reason:   "A wildcard under a field the live object lacks leaves the render as is.",
			desired:  `{kind: Deployment, spec: {containers: [{image: a:1}]}}`,
			observed: `{kind: Deployment, spec: {}}`,
			paths:    []string{"$.spec.containers[*].image"},
			want:     `{kind: Deployment, spec: {containers: [{image: a:1}]}}`,
		},
		"WildcardMetadata": {
			reason:  "Every metadata field would include server-set ones.",
			desired: `{kind: Deployment}`,
			paths:   []string{"$.metadata[*]"},
			wantErr: `every metadata field would include server-set ones`,
		},
		"WildcardRoot": {
			reason:  "Every top-level field would include status.",
			desired: `{kind: Deployment}`,
			paths:   []string{"$[*]"},
			wantErr: `every top-level field would include status`,
		},
		"TypeConflict": {
			reason:   "A render whose shape differs from the live object at a parent path is an error.",
			desired:  `{kind: Deployment, spec: "oops"}`,
			observed: `{kind: Deployment, spec: {replicas: 3}}`,
			paths:    []string{"$.spec.replicas"},
			wantErr:  `ignoreFields: path "$.spec.replicas": $.spec is a string in the rendered object`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			desired := obj(t, tc.desired)
			var observed *unstructured.Unstructured
			if tc.observed != "" {
				observed = obj(t, tc.observed)
			}
			err := IgnoreFields(desired, observed, tc.paths)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("\n%s\nIgnoreFields(...): want error containing %q, got %v", tc.reason, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\nIgnoreFields(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(obj(t, tc.want).Object, desired.Object); diff != "" {
				t.Errorf("\n%s\nIgnoreFields(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestIgnoreFieldsOnFrozen(t *testing.T) {
	t.Parallel()
	// The order the package doc prescribes: Once, then IgnoreFields. The HPA's replicas win
	// over the frozen ones, and the frozen annotation is untouched.
	first := obj(t, `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app}, spec: {replicas: 1}}`)
	created, err := Once(first, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	live := observe(t, created)
	_ = unstructured.SetNestedField(live.Object, int64(5), "spec", "replicas")
	got, err := Once(obj(t, `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app}, spec: {replicas: 3}}`), live, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := IgnoreFields(got, live, []string{"$.spec.replicas"}); err != nil {
		t.Fatal(err)
	}
	want := created.DeepCopy()
	_ = unstructured.SetNestedField(want.Object, int64(5), "spec", "replicas")
	if diff := cmp.Diff(want.Object, got.Object); diff != "" {
		t.Errorf("Once then IgnoreFields: -want, +got:\n%s", diff)
	}
}
