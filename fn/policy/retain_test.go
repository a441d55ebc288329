package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestRetain(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		desired string
		opts    RetainOptions
		want    string
		wantErr string
	}{
		"LegacyMR": {
			reason:  "A legacy cluster-scoped MR is orphaned with deletionPolicy alone, which works whether or not its provider enables management policies.",
			desired: `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, metadata: {name: db}, spec: {forProvider: {region: us-west-2}}}`,
			want:    `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, metadata: {name: db}, spec: {deletionPolicy: Orphan, forProvider: {region: us-west-2}}}`,
		},
		"LegacyMRWithPolicies": {
			reason:  "A legacy MR whose template sets management policies also loses Delete from them.",
			desired: `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, metadata: {name: db}, spec: {deletionPolicy: Delete, managementPolicies: ["*"], forProvider: {}}}`,
			want:    `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, metadata: {name: db}, spec: {deletionPolicy: Orphan, managementPolicies: [Observe, Create, Update, LateInitialize], forProvider: {}}}`,
		},
		"V2MR": {
			reason:  "A namespaced v2 MR has no deletionPolicy: management policies without Delete orphan it.",
			desired: `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: db, namespace: t}, spec: {forProvider: {region: us-west-2}}}`,
			want:    `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: db, namespace: t}, spec: {managementPolicies: [Observe, Create, Update, LateInitialize], forProvider: {region: us-west-2}}}`,
		},
		"V2MRTemplatePolicies": {
			reason:  "The template's own policies are kept, minus Delete.",
			desired: `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: db, namespace: t}, spec: {managementPolicies: [Observe, Create, Update, Delete], forProvider: {}}}`,
			want:    `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: db, namespace: t}, spec: {managementPolicies: [Observe, Create, Update], forProvider: {}}}`,
		},
		"Deployment": {
			reason:  "A plain object is wrapped in a provider-kubernetes Object without Delete, in the object's namespace.",
			desired: `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app, namespace: node-acme}, spec: {replicas: 1}}`,
			opts:    RetainOptions{Namespace: "crossplane-system"},
			want: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, metadata: {name: deployment-app, namespace: node-acme},
spec: {forProvider: {manifest: {apiVersion: apps/v1, kind: Deployment, metadata: {name: app, namespace: node-acme}, spec: {replicas: 1}}},
  managementPolicies: [Observe, Create, Update, LateInitialize], readiness: {policy: SuccessfulCreate},
  providerConfigRef: {kind: ClusterProviderConfig, name: default}}}`,
		},
		"NamespaceWithReadyWhen": {
			reason:  "A cluster-scoped object's wrapper lives in opts.Namespace; readyWhen becomes a CEL readiness.",
			desired: `{apiVersion: v1, kind: Namespace, metadata: {name: node-acme}}`,
			opts:    RetainOptions{Namespace: "crossplane-system", ProviderConfigName: "in-cluster", ProviderConfigKind: "ProviderConfig", ReadyWhen: "object.status.phase == 'Active'"},
			want: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, metadata: {name: namespace-node-acme, namespace: crossplane-system},
spec: {forProvider: {manifest: {apiVersion: v1, kind: Namespace, metadata: {name: node-acme}}},
  managementPolicies: [Observe, Create, Update, LateInitialize], readiness: {policy: DeriveFromCelQuery, celQuery: "object.status.phase == 'Active'"},
  providerConfigRef: {kind: ProviderConfig, name: in-cluster}}}`,
		},
		"NamespacedWithoutNamespace": {
			reason:  "A namespaced object that names no namespace (no targetNamespace) is applied in the composite resource's namespace, because provider-kubernetes fills in only the name.",
			desired: `{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: initech-data}, spec: {accessModes: [ReadWriteOnce]}}`,
			opts:    RetainOptions{Namespace: "team-a", ObjectNamespace: "team-a"},
			want: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, metadata: {name: persistentvolumeclaim-initech-data, namespace: team-a},
spec: {forProvider: {manifest: {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: initech-data, namespace: team-a}, spec: {accessModes: [ReadWriteOnce]}}},
  managementPolicies: [Observe, Create, Update, LateInitialize], readiness: {policy: SuccessfulCreate},
  providerConfigRef: {kind: ClusterProviderConfig, name: default}}}`,
		},
		"CustomKindWithoutNamespace": {
			reason:  "A custom kind counts as namespaced: the function sees no discovery.",
			desired: `{apiVersion: example.org/v1, kind: Widget, metadata: {name: w}}`,
			opts:    RetainOptions{Namespace: "team-a", ObjectNamespace: "team-a"},
			want: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, metadata: {name: widget-w, namespace: team-a},
spec: {forProvider: {manifest: {apiVersion: example.org/v1, kind: Widget, metadata: {name: w, namespace: team-a}}},
  managementPolicies: [Observe, Create, Update, LateInitialize], readiness: {policy: SuccessfulCreate},
  providerConfigRef: {kind: ClusterProviderConfig, name: default}}}`,
		},
		"ClusterRoleKeepsNoNamespace": {
			reason:  "A cluster-scoped kind never gets a namespace in its manifest; its wrapper still lives in opts.Namespace.",
			desired: `{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: reader}, rules: []}`,
			opts:    RetainOptions{Namespace: "team-a", ObjectNamespace: "team-a"},
			want: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, metadata: {name: clusterrole-reader, namespace: team-a},
spec: {forProvider: {manifest: {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: reader}, rules: []}},
  managementPolicies: [Observe, Create, Update, LateInitialize], readiness: {policy: SuccessfulCreate},
  providerConfigRef: {kind: ClusterProviderConfig, name: default}}}`,
		},
		"NamespaceKeepsNoNamespace": {
			reason:  "A Namespace never gets a namespace of its own.",
			desired: `{apiVersion: v1, kind: Namespace, metadata: {name: node-acme}}`,
			opts:    RetainOptions{Namespace: "team-a", ObjectNamespace: "team-a"},
			want: `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, metadata: {name: namespace-node-acme, namespace: team-a},
spec: {forProvider: {manifest: {apiVersion: v1, kind: Namespace, metadata: {name: node-acme}}},
  managementPolicies: [Observe, Create, Update, LateInitialize], readiness: {policy: SuccessfulCreate},
  providerConfigRef: {kind: ClusterProviderConfig, name: default}}}`,
		},
		"SecretRefused": {
			reason:  "A Secret is refused: its wrapper would carry the data in plain text.",
			desired: `{apiVersion: v1, kind: Secret, metadata: {name: creds, namespace: team-a}, stringData: {password: s3cret}}`,
			opts:    RetainOptions{Namespace: "team-a", ObjectNamespace: "team-a"},
			wantErr: `cannot retain Secret "creds": a retained Secret would have its data copied in plain text`,
		},
		"ClusterScopedWithoutNamespace": {
			reason:  "A wrapper needs a namespace.",
			desired: `{apiVersion: v1, kind: Namespace, metadata: {name: node-acme}}`,
			wantErr: `cannot retain Namespace "node-acme": cluster-scoped object needs RetainOptions.Namespace for its wrapper`,
		},
		"NoName": {
			reason:  "An object without a name cannot name its wrapper.",
			desired: `{apiVersion: v1, kind: ConfigMap, metadata: {namespace: x}}`,
			wantErr: `object has no metadata.name`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Retain(obj(t, tc.desired), tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("\n%s\nRetain(...): want error containing %q, got %v", tc.reason, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\nRetain(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(obj(t, tc.want).Object, got.Object); diff != "" {
				t.Errorf("\n%s\nRetain(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestOnceRetainOrderIndependent(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		desired string
		want    []string
	}{
		"V2MR": {
			reason:  "Once drops Update and Retain drops Delete, in either order.",
			desired: `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: db, namespace: t}, spec: {forProvider: {}}}`,
			want:    []string{"Observe", "Create", "LateInitialize"},
		},
		"LegacyMR": {
			reason:  "For a legacy MR the result never keeps Delete next to deletionPolicy: Orphan.",
			desired: `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, metadata: {name: db}, spec: {forProvider: {}}}`,
			want:    []string{"Observe", "Create", "LateInitialize"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			once, err := Once(obj(t, tc.desired), nil, false)
			if err != nil {
				t.Fatal(err)
			}
			onceThenRetain, err := Retain(once, RetainOptions{})
			if err != nil {
				t.Fatal(err)
			}
			retained, err := Retain(obj(t, tc.desired), RetainOptions{})
			if err != nil {
				t.Fatal(err)
			}
			retainThenOnce, err := Once(retained, nil, false)
			if err != nil {
				t.Fatal(err)
			}
			for label, o := range map[string]*unstructured.Unstructured{"Once→Retain": onceThenRetain, "Retain→Once": retainThenOnce} {
				got, _, _ := unstructured.NestedStringSlice(o.Object, "spec", "managementPolicies")
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("\n%s\n%s managementPolicies: -want, +got:\n%s", tc.reason, label, diff)
				}
			}
		})
	}
}

func TestWrapperName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 70)
	o := &unstructured.Unstructured{}
	o.SetKind("ConfigMap")
	o.SetName(long)
	got := WrapperName(o)
	if len(got) != 63 || !strings.HasPrefix(got, "configmap-aaa") {
		t.Errorf("WrapperName(long): want 63 characters starting configmap-, got %q (%d)", got, len(got))
	}
	o.SetName(long + "b")
	if WrapperName(o) == got {
		t.Errorf("WrapperName: two long names that differ past the cut must not collide")
	}
}

func TestUnwrap(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		in     string
		want   string
	}{
		"Wrapper": {
			reason: "A wrapper yields the live object it reports.",
			in:     `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, status: {atProvider: {manifest: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}}}}`,
			want:   `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}`,
		},
		"LegacyWrapper": {
			reason: "A cluster-scoped provider-kubernetes Object is understood too.",
			in:     `{apiVersion: kubernetes.crossplane.io/v1alpha2, kind: Object, status: {atProvider: {manifest: {apiVersion: v1, kind: ConfigMap}}}}`,
			want:   `{apiVersion: v1, kind: ConfigMap}`,
		},
		"NotReported": {
			reason: "A wrapper that has not reported its object yields nil.",
			in:     `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, spec: {forProvider: {manifest: {kind: ConfigMap}}}}`,
		},
		"NotAWrapper": {
			reason: "Any other object is returned as is.",
			in:     `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}`,
			want:   `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Unwrap(obj(t, tc.in))
			var want *unstructured.Unstructured
			if tc.want != "" {
				want = obj(t, tc.want)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("\n%s\nUnwrap(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestViews(t *testing.T) {
	t.Parallel()
	const (
		live     = `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, uid: "1"}}`
		manifest = `{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}`
	)
	cases := map[string]struct {
		reason      string
		in          string
		wantWrapped string
		wantViews   []string
	}{
		"Reported": {
			reason:      "A wrapper that reports its object is seen as the live object first, then as the manifest it applies.",
			in:          `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, spec: {forProvider: {manifest: ` + manifest + `}}, status: {atProvider: {manifest: ` + live + `}}}`,
			wantWrapped: manifest,
			wantViews:   []string{live, manifest},
		},
		"NotReported": {
			reason:      "A wrapper that has not reported its object yet is seen only as its manifest.",
			in:          `{apiVersion: kubernetes.crossplane.io/v1alpha2, kind: Object, spec: {forProvider: {manifest: ` + manifest + `}}}`,
			wantWrapped: manifest,
			wantViews:   []string{manifest},
		},
		"NotAWrapper": {
			reason:    "Any other object has no wrapped manifest and is seen as itself, even with a spec.forProvider.manifest of its own.",
			in:        `{apiVersion: example.org/v1, kind: Thing, spec: {forProvider: {manifest: ` + manifest + `}}}`,
			wantViews: []string{`{apiVersion: example.org/v1, kind: Thing, spec: {forProvider: {manifest: ` + manifest + `}}}`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := obj(t, tc.in)
			var wantWrapped *unstructured.Unstructured
			if tc.wantWrapped != "" {
				wantWrapped = obj(t, tc.wantWrapped)
			}
			if diff := cmp.Diff(wantWrapped, Wrapped(in)); diff != "" {
				t.Errorf("\n%s\nWrapped(...): -want, +got:\n%s", tc.reason, diff)
			}
			var wantViews []*unstructured.Unstructured
			for _, v := range tc.wantViews {
				wantViews = append(wantViews, obj(t, v))
			}
			if diff := cmp.Diff(wantViews, Views(in)); diff != "" {
				t.Errorf("\n%s\nViews(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
	if Views(nil) != nil {
		t.Error("Views(nil) must be empty: there is nothing observed to look at")
	}
}
