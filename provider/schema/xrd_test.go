package schema

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"
)

func TestRoleIn(t *testing.T) {
	t.Parallel()
	xrd := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{
		"group":      "example.rowplane.io",
		"names":      map[string]any{"kind": "XNodeDatabase"},
		"claimNames": map[string]any{"kind": "NodeDatabase"},
	}}}
	v2 := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{
		"group": "example.rowplane.io", "names": map[string]any{"kind": "WebApp"},
	}}}
	gvk := func(group, kind string) schema.GroupVersionKind {
		return schema.GroupVersionKind{Group: group, Version: "v1alpha1", Kind: kind}
	}
	cases := map[string]struct {
		reason string
		xrd    *unstructured.Unstructured
		gvk    schema.GroupVersionKind
		want   Role
	}{
		"Composite":    {reason: "spec.names is the composite kind", xrd: xrd, gvk: gvk("example.rowplane.io", "XNodeDatabase"), want: RoleComposite},
		"Claim":        {reason: "spec.claimNames is the claim kind", xrd: xrd, gvk: gvk("example.rowplane.io", "NodeDatabase"), want: RoleClaim},
		"OtherGroup":   {reason: "the same kind in another group is not the XRD's", xrd: xrd, gvk: gvk("rowplane.io", "NodeDatabase"), want: RoleNone},
		"OtherKind":    {reason: "a kind the XRD does not name is nothing to it", xrd: xrd, gvk: gvk("example.rowplane.io", "ClusterProviderConfig"), want: RoleNone},
		"NoClaimNames": {reason: "an XRD without claimNames has no claim kind, even an empty one", xrd: v2, gvk: gvk("example.rowplane.io", ""), want: RoleNone},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, RoleIn(tc.xrd, tc.gvk)); diff != "" {
				t.Errorf("%s\nRoleIn: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestXRDOwner(t *testing.T) {
	t.Parallel()
	ref := func(apiVersion, kind string, controller bool) metav1.OwnerReference {
		return metav1.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: "xnodedatabases.example.rowplane.io", Controller: ptr.To(controller)}
	}
	cases := map[string]struct {
		reason string
		refs   []metav1.OwnerReference
		want   string
	}{
		"None":          {reason: "a CRD nobody controls (installed by hand) has no XRD"},
		"XRDv1":         {reason: "Crossplane makes the XRD the controller", refs: []metav1.OwnerReference{ref("apiextensions.crossplane.io/v1", "CompositeResourceDefinition", true)}, want: "xnodedatabases.example.rowplane.io"},
		"XRDv2":         {reason: "any version of the XRD group counts", refs: []metav1.OwnerReference{ref("apiextensions.crossplane.io/v2", "CompositeResourceDefinition", true)}, want: "xnodedatabases.example.rowplane.io"},
		"NotController": {reason: "an XRD owner that is not the controller does not count", refs: []metav1.OwnerReference{ref("apiextensions.crossplane.io/v1", "CompositeResourceDefinition", false)}},
		"ProviderRev":   {reason: "a provider's CRD is controlled by its ProviderRevision", refs: []metav1.OwnerReference{ref("pkg.crossplane.io/v1", "ProviderRevision", true)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			crd := &extv1.CustomResourceDefinition{ObjectMeta: metav1.ObjectMeta{OwnerReferences: tc.refs}}
			got, _ := XRDOwner(crd)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nXRDOwner: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
