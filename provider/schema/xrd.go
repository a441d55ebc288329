package schema

import (
	"context"
	"fmt"

	"github.com/pkg/errors"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Role is what a kind is to Crossplane.
type Role string

// Roles of a kind.
const (
	// RoleNone is any kind no XRD defines: a provider's own kinds, core kinds, managed resources.
	RoleNone Role = ""
	// RoleClaim is the claim kind (spec.claimNames) of an XRD.
	RoleClaim Role = "claim"
	// RoleComposite is the composite resource kind (spec.names) of an XRD.
	RoleComposite Role = "composite"
)

// xrdGroupKind is Crossplane's CompositeResourceDefinition.
var xrdGroupKind = schema.GroupKind{Group: "apiextensions.crossplane.io", Kind: "CompositeResourceDefinition"}

// XRDOwner returns the name of the XRD that controls a CRD. Crossplane makes an XRD the
// controller of both CRDs it generates (the composite and the claim kind); no other CRD has one.
func XRDOwner(crd *extv1.CustomResourceDefinition) (string, bool) {
	for _, o := range crd.GetOwnerReferences() {
		gv, err := schema.ParseGroupVersion(o.APIVersion)
		if err == nil && gv.Group == xrdGroupKind.Group && o.Kind == xrdGroupKind.Kind && o.Controller != nil && *o.Controller {
			return o.Name, true
		}
	}
	return "", false
}

// RoleIn returns what gvk is to an XRD: its composite kind, its claim kind, or neither. Only the
// XRD's own spec counts, so a CRD that merely claims an XRD as owner gains nothing.
func RoleIn(xrd *unstructured.Unstructured, gvk schema.GroupVersionKind) Role {
	group, _, _ := unstructured.NestedString(xrd.Object, "spec", "group")
	if group != gvk.Group {
		return RoleNone
	}
	if k, _, _ := unstructured.NestedString(xrd.Object, "spec", "names", "kind"); k == gvk.Kind {
		return RoleComposite
	}
	if k, _, _ := unstructured.NestedString(xrd.Object, "spec", "claimNames", "kind"); k != "" && k == gvk.Kind {
		return RoleClaim
	}
	return RoleNone
}

// role sets k.Role and k.XRD from the XRD controlling crd. A CRD without one, or an XRD that
// does not define the kind, leaves RoleNone; only a failure to read is an error.
func (r Reader) role(ctx context.Context, crd *extv1.CustomResourceDefinition, k *Kind) error {
	name, ok := XRDOwner(crd)
	if !ok {
		return nil
	}
	// Read the XRD at the version the API server prefers, so this works with Crossplane v1
	// (apiextensions.crossplane.io/v1 only) and v2 (v1 deprecated, v2 preferred) alike.
	m, err := r.Mapper.RESTMapping(xrdGroupKind)
	if err != nil {
		return errors.Wrapf(err, "CustomResourceDefinition %s is controlled by XRD %s, but XRDs are not served", crd.Name, name)
	}
	xrd := &unstructured.Unstructured{}
	xrd.SetGroupVersionKind(m.GroupVersionKind)
	if err := r.Client.Get(ctx, client.ObjectKey{Name: name}, xrd); err != nil {
		if kerrors.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("read CompositeResourceDefinition %s: %w", name, err)
	}
	if k.Role = RoleIn(xrd, k.GVK); k.Role != RoleNone {
		k.XRD = name
	}
	return nil
}
