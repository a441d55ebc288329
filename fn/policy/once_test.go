package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const rdsTemplate = `
apiVersion: database.aws.crossplane.io/v1beta1
kind: RDSInstance
metadata:
  name: acme-postgres
  labels: {node-id: acme, plan-type: %s}
spec:
  forProvider:
    region: us-west-2
    dbInstanceClass: %s
    allocatedStorage: 20
    finalDBSnapshotIdentifier: acme-final-%s
`

func rds(t *testing.T, plan, class, now string) *unstructured.Unstructured {
	t.Helper()
	s := strings.Replace(rdsTemplate, "%s", plan, 1)
	s = strings.Replace(s, "%s", class, 1)
	return obj(t, strings.Replace(s, "%s", now, 1))
}

func TestOnceFrozen(t *testing.T) {
	t.Parallel()
	first := rds(t, "basic", "db.t3.micro", "20260101120000")
	created, err := Once(first, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	wantCreated := first.DeepCopy()
	_ = unstructured.SetNestedStringSlice(wantCreated.Object, []string{"Observe", "Create", "Delete", "LateInitialize"}, "spec", "managementPolicies")
	frozen := created.GetAnnotations()[AnnotationOnce]
	wantCreated.SetAnnotations(map[string]string{AnnotationOnce: frozen})
	if diff := cmp.Diff(wantCreated.Object, created.Object); diff != "" {
		t.Fatalf("Once(first, nil): -want, +got:\n%s", diff)
	}
	if strings.Contains(frozen, AnnotationOnce) || !strings.Contains(frozen, "20260101120000") {
		t.Fatalf("frozen annotation must hold the first render without itself, got %s", frozen)
	}

	cases := map[string]struct {
		reason string
		render *unstructured.Unstructured
	}{
		"TemplateChanged": {
			reason: "A later template change (plan and instance class) does not reach a Once object.",
			render: rds(t, "enterprise", "db.m5.large", "20260101120000"),
		},
		"NowChanged": {
			reason: "A template using `now` renders differently on every reconcile; Once emits the first render.",
			render: rds(t, "basic", "db.t3.micro", "20260315093000"),
		},
		"Unchanged": {
			reason: "An identical render emits the identical object.",
			render: rds(t, "basic", "db.t3.micro", "20260101120000"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Once(tc.render, observe(t, created), false)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(created.Object, got.Object); diff != "" {
				t.Errorf("\n%s\nOnce(render, observed): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestOnce(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason               string
		desired              string
		observed             string
		templateSetsPolicies bool
		want                 string
		wantErr              string
	}{
		"TemplateSetsPolicies": {
			reason:               "Management policies the template sets are left alone.",
			desired:              `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: db}, spec: {forProvider: {a: 1}, managementPolicies: ["*"]}}`,
			templateSetsPolicies: true,
			want: `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: db, annotations: {` + AnnotationOnce + `: '{"apiVersion":"rds.aws.m.upbound.io/v1beta1","kind":"Instance","metadata":{"name":"db"},"spec":{"forProvider":{"a":1},"managementPolicies":["*"]}}'}},
  spec: {forProvider: {a: 1}, managementPolicies: ["*"]}}`,
		},
		"OrphanedMR": {
			reason:  "An orphaned legacy managed resource loses Delete too, so both fields agree.",
			desired: `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, metadata: {name: db}, spec: {deletionPolicy: Orphan, forProvider: {a: 1}}}`,
			want: `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, metadata: {name: db, annotations: {` + AnnotationOnce + `: '{"apiVersion":"database.aws.crossplane.io/v1beta1","kind":"RDSInstance","metadata":{"name":"db"},"spec":{"deletionPolicy":"Orphan","forProvider":{"a":1},"managementPolicies":["Observe","Create","LateInitialize"]}}'}},
  spec: {deletionPolicy: Orphan, forProvider: {a: 1}, managementPolicies: [Observe, Create, LateInitialize]}}`,
		},
		"Adopted": {
			reason:   "An existing object without the annotation is adopted: the current render is frozen.",
			desired:  `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {k: new}}`,
			observed: `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {k: old}}`,
			want:     `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","data":{"k":"new"},"kind":"ConfigMap","metadata":{"name":"c"}}'}}, data: {k: new}}`,
		},
		"KeepsOtherAnnotations": {
			reason:   "The frozen object keeps its own annotations and drops only the Once one from the JSON.",
			desired:  `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {a: b}}, data: {k: new}}`,
			observed: `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {a: b, ` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{"a":"b"},"name":"c"},"data":{"k":"old"}}'}}, data: {k: old}}`,
			want:     `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {a: b, ` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{"a":"b"},"name":"c"},"data":{"k":"old"}}'}}, data: {k: old}}`,
		},
		"SecretCreated": {
			reason:  "A Secret's frozen JSON holds its keys, never its values.",
			desired: `{apiVersion: v1, kind: Secret, metadata: {name: s}, data: {password: c2VjcmV0}, stringData: {user: admin}}`,
			want: `{apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","data":{"password":null},"kind":"Secret","metadata":{"name":"s"},"stringData":{"user":null}}'}},
  data: {password: c2VjcmV0}, stringData: {user: admin}}`,
		},
		"SecretReemitted": {
			reason:   "A frozen Secret takes its values from the observed Secret, even when the template (randAlphaNum) renders new ones.",
			desired:  `{apiVersion: v1, kind: Secret, metadata: {name: s}, data: {password: bmV3}, stringData: {user: admin, token: fresh}}`,
			observed: `{apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","data":{"password":null},"kind":"Secret","metadata":{"name":"s"},"stringData":{"user":null,"token":null}}'}}, data: {password: c2VjcmV0, user: YWRtaW4=}}`,
			want:     `{apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","data":{"password":null},"kind":"Secret","metadata":{"name":"s"},"stringData":{"user":null,"token":null}}'}}, data: {password: c2VjcmV0, user: YWRtaW4=, token: ZnJlc2g=}}`,
		},
		"WrappedObject": {
			reason:   "For a Retain wrapper the annotation is read from the wrapped live object.",
			desired:  `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {k: new}}`,
			observed: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, spec: {forProvider: {manifest: {}}}, status: {atProvider: {manifest: {apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"old"}}'}}, data: {k: old}}}}}`,
			want:     `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"old"}}'}}, data: {k: old}}`,
		},
		"WrapperNotReportedYet": {
			reason:   "Before provider-kubernetes reports the object, the annotation is read from the wrapper's manifest.",
			desired:  `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {k: new}}`,
			observed: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, spec: {forProvider: {manifest: {apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"old"}}'}}, data: {k: old}}}}}`,
			want:     `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"old"}}'}}, data: {k: old}}`,
		},
		"Corrupt": {
			reason:   "An annotation that is not JSON is an error naming the object.",
			desired:  `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}`,
			observed: `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: 'true'}}}`,
			wantErr:  `creationPolicy Once: ConfigMap "c": decode annotation rowplane.io/created-once`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var observed *unstructured.Unstructured
			if tc.observed != "" {
				observed = obj(t, tc.observed)
			}
			got, err := Once(obj(t, tc.desired), observed, tc.templateSetsPolicies)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("\n%s\nOnce(...): want error containing %q, got %v", tc.reason, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\nOnce(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(obj(t, tc.want).Object, got.Object); diff != "" {
				t.Errorf("\n%s\nOnce(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestOnceFloatNumbers(t *testing.T) {
	t.Parallel()
	// Objects decoded from a RunFunctionRequest carry float64 numbers.
	d := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "app"},
		"spec": map[string]any{"replicas": float64(2)},
	}}
	got, err := Once(d, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app"},"spec":{"replicas":2}}`
	if diff := cmp.Diff(want, got.GetAnnotations()[AnnotationOnce]); diff != "" {
		t.Errorf("frozen JSON: -want, +got:\n%s", diff)
	}
}

func TestOnceWrappedRedactedSecret(t *testing.T) {
	t.Parallel()
	// provider-kubernetes may redact Secret data in status.atProvider.manifest; the values
	// then come from the manifest the wrapper applied, never from a new render.
	frozen := `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"password":null}}`
	observed := obj(t, `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object,
spec: {forProvider: {manifest: {apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {`+AnnotationOnce+`: '`+frozen+`'}}, stringData: {password: first}}}},
status: {atProvider: {manifest: {apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {`+AnnotationOnce+`: '`+frozen+`'}}, data: {redacted: null}}}}}`)
	got, err := Once(obj(t, `{apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {password: second}}`), observed, false)
	if err != nil {
		t.Fatal(err)
	}
	want := obj(t, `{apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {`+AnnotationOnce+`: '`+frozen+`'}}, data: {password: Zmlyc3Q=}}`)
	if diff := cmp.Diff(want.Object, got.Object); diff != "" {
		t.Errorf("Once(wrapped redacted Secret): -want, +got:\n%s", diff)
	}
}

func TestFrozen(t *testing.T) {
	t.Parallel()
	secret := `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"user":null,"token":null}}`
	cases := map[string]struct {
		reason   string
		observed string
		want     string
		wantOK   bool
	}{
		"NotFrozen": {
			reason:   "An observed object without the annotation is rendered and frozen by Once.",
			observed: `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}`,
		},
		"Frozen": {
			reason:   "A frozen object is the decoded annotation plus the annotation.",
			observed: `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}'}}, data: {live: x}}`,
			want:     `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {` + AnnotationOnce + `: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}'}}}`,
			wantOK:   true,
		},
		"SecretComplete": {
			reason:   "A frozen Secret whose every key the live Secret holds needs no render.",
			observed: `{apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {` + AnnotationOnce + `: '` + secret + `'}}, data: {user: YQ==, token: Yg==}}`,
			want:     `{apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {` + AnnotationOnce + `: '` + secret + `'}}, data: {user: YQ==, token: Yg==}}`,
			wantOK:   true,
		},
		"SecretKeyMissing": {
			reason:   "A frozen Secret missing a key live takes that key's value from the render, so it must be rendered.",
			observed: `{apiVersion: v1, kind: Secret, metadata: {name: s, annotations: {` + AnnotationOnce + `: '` + secret + `'}}, data: {user: YQ==}}`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := Frozen(obj(t, tc.observed))
			if ok != tc.wantOK {
				t.Fatalf("%s\nFrozen: ok = %v, want %v", tc.reason, ok, tc.wantOK)
			}
			if !ok {
				return
			}
			if diff := cmp.Diff(obj(t, tc.want).Object, got.Object); diff != "" {
				t.Errorf("%s\nFrozen: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
