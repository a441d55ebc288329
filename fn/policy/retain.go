package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// The provider-kubernetes Object that Retain wraps plain Kubernetes objects in.
const (
	WrapperAPIVersion = "kubernetes.m.crossplane.io/v1alpha1"
	WrapperKind       = "Object"

	// legacyWrapperGroup is provider-kubernetes' cluster-scoped Object group. Unwrap reads
	// it too, so a Composition that wraps by hand is understood.
	legacyWrapperGroup = "kubernetes.crossplane.io"

	// DefaultProviderConfigName is the provider-kubernetes config a wrapper uses by default.
	DefaultProviderConfigName = "default"
	// DefaultProviderConfigKind is the kind of that config: cluster-wide, so a wrapper works
	// in any namespace.
	DefaultProviderConfigKind = "ClusterProviderConfig"

	// maxWrapperName keeps wrapper names usable as label values.
	maxWrapperName = 63
)

// RetainOptions configure how Retain wraps plain Kubernetes objects.
type RetainOptions struct {
	// ProviderConfigName names the provider-kubernetes config. Default "default".
	ProviderConfigName string
	// ProviderConfigKind is ClusterProviderConfig (default) or ProviderConfig.
	ProviderConfigKind string
	// Namespace holds wrappers of cluster-scoped objects (a Namespace, a ClusterRole): the
	// composite resource's namespace, or e.g. crossplane-system for a cluster-scoped one.
	Namespace string
	// ReadyWhen, when set, becomes the wrapper's DeriveFromCelQuery readiness, so the
	// Object's own Ready condition agrees with the resource's readyWhen.
	ReadyWhen string
}

// Retain applies deletionPolicy: Retain to the rendered object desired, so the object (or
// the external resource behind it) outlives the row, the composite resource and the claim.
//
// A managed resource (it has spec.forProvider) keeps its kind: Delete is dropped from
// spec.managementPolicies, which start from the template's (with "*" spelled out) or, when the
// template sets none, from Observe, Create, Update, LateInitialize. A legacy cluster-scoped
// managed resource (its API group has no ".m.") also gets spec.deletionPolicy: Orphan, which
// alone is enough when the template sets no management policies, so Retain leaves them
// unset then: providers that have not enabled management policies reject any non-default
// value.
//
// Any other object has no orphan switch in Crossplane v2, so Retain returns a
// provider-kubernetes Object that wraps it with management policies without Delete. Readiness
// of the wrapped object is better judged from the object itself (see Unwrap and package
// ready); the wrapper's own Ready condition follows opts.ReadyWhen when set and is otherwise
// true once the object is created, because provider-kubernetes' DeriveFromObject only reads
// a Ready condition that Deployments, Services and ConfigMaps never have.
func Retain(desired *unstructured.Unstructured, opts RetainOptions) (*unstructured.Unstructured, error) {
	if desired == nil {
		return nil, errors.New("deletionPolicy Retain: no rendered object")
	}
	if IsManaged(desired) {
		obj, err := retainManaged(desired)
		return obj, errors.Wrapf(err, "deletionPolicy Retain: %s %q", desired.GetKind(), desired.GetName())
	}
	obj, err := wrap(desired, opts)
	return obj, errors.Wrapf(err, "deletionPolicy Retain: %s %q", desired.GetKind(), desired.GetName())
}

// IsLegacyManaged reports whether o looks like a legacy cluster-scoped managed resource: a
// managed resource whose API group lacks the ".m." that Crossplane v2 namespaced groups have.
func IsLegacyManaged(o *unstructured.Unstructured) bool {
	if !IsManaged(o) {
		return false
	}
	g := o.GroupVersionKind().Group
	return !strings.Contains(g, ".m.") && !strings.HasPrefix(g, "m.")
}

func retainManaged(desired *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	obj := desired.DeepCopy()
	_, hasPolicies, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "managementPolicies")
	if IsLegacyManaged(obj) {
		if err := unstructured.SetNestedField(obj.Object, deletionOrphan, "spec", "deletionPolicy"); err != nil {
			return nil, errors.Wrap(err, "set spec.deletionPolicy")
		}
		if !hasPolicies {
			return obj, nil
		}
	}
	if !hasPolicies {
		def := []any{actionObserve, actionCreate, actionUpdate, actionLateInitialize}
		if err := unstructured.SetNestedField(obj.Object, def, "spec", "managementPolicies"); err != nil {
			return nil, errors.Wrap(err, "set spec.managementPolicies")
		}
	}
	return obj, dropActions(obj, actionDelete)
}

func wrap(desired *unstructured.Unstructured, opts RetainOptions) (*unstructured.Unstructured, error) {
	if desired.GetName() == "" {
		return nil, errors.New("object has no metadata.name to name its wrapper after")
	}
	ns := desired.GetNamespace()
	if ns == "" {
		ns = opts.Namespace
	}
	if ns == "" {
		return nil, errors.New("cluster-scoped object needs RetainOptions.Namespace for its wrapper")
	}
	pcName, pcKind := opts.ProviderConfigName, opts.ProviderConfigKind
	if pcName == "" {
		pcName = DefaultProviderConfigName
	}
	if pcKind == "" {
		pcKind = DefaultProviderConfigKind
	}
	readiness := map[string]any{"policy": "SuccessfulCreate"}
	if opts.ReadyWhen != "" {
		readiness = map[string]any{"policy": "DeriveFromCelQuery", "celQuery": opts.ReadyWhen}
	}
	manifest := desired.DeepCopy().Object
	delete(manifest, "status")
	w := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": WrapperAPIVersion,
		"kind":       WrapperKind,
		"metadata": map[string]any{
			"name":      WrapperName(desired),
			"namespace": ns,
		},
		"spec": map[string]any{
			"forProvider":        map[string]any{"manifest": manifest},
			"managementPolicies": []any{actionObserve, actionCreate, actionUpdate, actionLateInitialize},
			"readiness":          readiness,
			"providerConfigRef":  map[string]any{"kind": pcKind, "name": pcName},
		},
	}}
	return w, nil
}

// WrapperName returns the name of the wrapper of o: "<kind>-<name>", lowercased, so a
// Deployment and a Service that share a name get distinct wrappers. Names longer than 63
// characters are cut and end in a hash of the full name, so they stay unique.
func WrapperName(o *unstructured.Unstructured) string {
	n := strings.ToLower(o.GetKind()) + "-" + o.GetName()
	if len(n) <= maxWrapperName {
		return n
	}
	sum := sha256.Sum256([]byte(n))
	suffix := "-" + hex.EncodeToString(sum[:])[:8]
	head := strings.TrimRight(n[:maxWrapperName-len(suffix)], "-.")
	return head + suffix
}

// IsWrapper reports whether o is a provider-kubernetes Object, namespaced or legacy.
func IsWrapper(o *unstructured.Unstructured) bool {
	if o == nil {
		return false
	}
	gvk := o.GroupVersionKind()
	return gvk.Kind == WrapperKind && (gvk.Group == schema.FromAPIVersionAndKind(WrapperAPIVersion, WrapperKind).Group || gvk.Group == legacyWrapperGroup)
}

// Unwrap returns the live object a provider-kubernetes Object reports in
// status.atProvider.manifest, so readiness, Once and IgnoreFields look at the real object. It
// returns o itself when o is not a wrapper, and nil when o is nil or a wrapper that has not
// reported the object yet. A nil result for an observed wrapper does not mean the resource
// is gone: the wrapper exists and must still be emitted.
func Unwrap(o *unstructured.Unstructured) *unstructured.Unstructured {
	if !IsWrapper(o) {
		return o
	}
	m, ok, _ := unstructured.NestedMap(o.Object, "status", "atProvider", "manifest")
	if !ok || len(m) == 0 {
		return nil
	}
	return &unstructured.Unstructured{Object: m}
}
