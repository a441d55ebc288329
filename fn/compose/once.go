package compose

import (
	"github.com/crossplane/function-sdk-go/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/fn/policy"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// defaultFrozenCacheSize bounds the frozen objects kept: about one per tenant and Once
// resource. Crossplane polls every composite resource in turn, so a cache smaller than the
// tenants it serves would miss on every call.
const defaultFrozenCacheSize = 4096

// frozenKey is everything the final object of a frozen Once resource depends on: the
// resource (by plan and id), the XR's namespace and the frozen annotation.
type frozenKey struct {
	plan       *plan
	id, ns     string
	annotation string
}

// resourceObject returns r's object after its policies. A frozen Once object is kept, so a
// steady reconcile reuses it instead of decoding the annotation and applying Retain again.
// Objects in the cache are shared by calls and never modified.
func (f *Function) resourceObject(p *plan, r *v1beta1.Resource, vars map[string]any, xrNamespace string, observed *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	annotation, ok := "", false
	// ignoreFields takes values from the observed object, which the key does not hold.
	if r.GetCreationPolicy() == v1beta1.CreationOnce && len(r.IgnoreFields) == 0 {
		annotation, ok = policy.FrozenAnnotation(observed)
	}
	if !ok {
		obj, _, err := f.renderResource(r, vars, xrNamespace, observed)
		return obj, err
	}
	key := frozenKey{plan: p, id: r.ID, ns: xrNamespace, annotation: annotation}
	if v, hit := f.frozen.Get(key); hit {
		return v.(*unstructured.Unstructured), nil
	}
	obj, frozen, err := f.renderResource(r, vars, xrNamespace, observed)
	if err == nil && frozen {
		f.frozen.Add(key, obj)
	}
	return obj, err
}

// renderResource renders r and applies its lifecycle policies. frozen says the object is a
// frozen Once object, not a Secret: it depends on r, the frozen annotation and xrNamespace alone.
func (f *Function) renderResource(r *v1beta1.Resource, vars map[string]any, xrNamespace string, observed *unstructured.Unstructured) (obj *unstructured.Unstructured, frozen bool, err error) {
	obj, frozen, err = f.renderOnce(r, vars, observed)
	if err != nil {
		return nil, false, err
	}
	if xrNamespace != "" && obj.GetNamespace() != "" && obj.GetNamespace() != xrNamespace {
		return nil, false, errors.Errorf("resource %q: targetNamespace %q differs from the composite resource's namespace %q; a namespaced composite resource composes only into its own namespace (use a cluster-scoped XR or a claim to compose into other namespaces)", r.ID, obj.GetNamespace(), xrNamespace)
	}
	if len(r.IgnoreFields) > 0 && observed != nil {
		if err := policy.IgnoreFields(obj, policy.Unwrap(observed), r.IgnoreFields); err != nil {
			return nil, false, errors.Wrapf(err, "resource %q field ignoreFields", r.ID)
		}
	}
	if r.GetDeletionPolicy() == v1beta1.DeletionRetain {
		ns := xrNamespace
		if ns == "" {
			ns = retainNamespace
		}
		opts := policy.RetainOptions{Namespace: ns, ObjectNamespace: xrNamespace, ReadyWhen: r.ReadyWhen}
		if obj, err = policy.Retain(obj, opts); err != nil {
			return nil, false, errors.Wrapf(err, "resource %q field deletionPolicy", r.ID)
		}
	}
	return obj, frozen, nil
}

// renderOnce renders r and applies creationPolicy Once. A Once resource already frozen on the
// observed object is not rendered at all: Once would throw the render away.
func (f *Function) renderOnce(r *v1beta1.Resource, vars map[string]any, observed *unstructured.Unstructured) (*unstructured.Unstructured, bool, error) {
	once := r.GetCreationPolicy() == v1beta1.CreationOnce
	if once {
		if obj, ok := policy.Frozen(observed); ok {
			return obj, !policy.IsSecret(obj), nil
		}
	}
	obj, err := f.renderer.Resource(r, vars)
	if err != nil || !once {
		return obj, false, err
	}
	if obj, err = policy.Once(obj, observed, policy.HasManagementPolicies(obj)); err != nil {
		return nil, false, errors.Wrapf(err, "resource %q creationPolicy Once", r.ID)
	}
	return obj, false, nil
}
