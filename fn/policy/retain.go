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
	// ObjectNamespace is where a namespaced object that names no namespace goes: the
	// composite resource's namespace, as Crossplane does for the objects it composes itself.
	// Empty for a cluster-scoped composite resource, whose objects must name their namespace.
	ObjectNamespace string
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
// provider-kubernetes Object that wraps it with management policies without Delete. A
// namespaced object that names no namespace gets opts.ObjectNamespace in the wrapped manifest.
// A Secret is refused (see errRetainSecret): the wrapper would expose its data. Readiness
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
		return obj, errors.Wrapf(err, "cannot retain %s %q", desired.GetKind(), desired.GetName())
	}
	obj, err := wrap(desired, opts)
	return obj, errors.Wrapf(err, "cannot retain %s %q", desired.GetKind(), desired.GetName())
}

// errRetainSecret says why a Secret cannot be retained and what to do instead. The wrapper
// would carry the Secret's data in plain text in spec.forProvider.manifest, and
// provider-kubernetes copies the live object, data included, into status.atProvider.manifest
// unless it runs with --sanitize-secrets, which a function cannot see. Taking the data from
// another Secret (spec.references[].patchesFrom) avoids neither: the status still carries it,
// and the source would be a second, deletable Secret holding the same plain text.
const errRetainSecret = "a retained Secret would have its data copied in plain text into the provider-kubernetes Object " +
	"that keeps it (spec.forProvider.manifest, and status.atProvider.manifest), readable by anyone who may read Objects; " +
	"leave deletionPolicy at Delete for Secrets, or create the Secret outside the Form (kubectl, External Secrets) " +
	"and refer to it by name"

// IsSecret reports whether o is a core Secret.
func IsSecret(o *unstructured.Unstructured) bool {
	return o.GetAPIVersion() == "v1" && o.GetKind() == "Secret"
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
	if IsSecret(desired) {
		return nil, errors.New(errRetainSecret)
	}
	if desired.GetName() == "" {
		return nil, errors.New("object has no metadata.name to name its wrapper after")
	}
	obj := desired.DeepCopy()
	// provider-kubernetes fills in only the name of a manifest, so a namespaced object
	// without a namespace would be applied to none.
	if obj.GetNamespace() == "" && opts.ObjectNamespace != "" && !IsClusterScoped(obj) {
		obj.SetNamespace(opts.ObjectNamespace)
	}
	ns := obj.GetNamespace()
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
	manifest := obj.Object
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

// Wrapped returns the manifest a provider-kubernetes Object applies
// (spec.forProvider.manifest): the object as rendered, before the cluster saw it. It returns
// nil when o is not a wrapper or carries no manifest.
func Wrapped(o *unstructured.Unstructured) *unstructured.Unstructured {
	if !IsWrapper(o) {
		return nil
	}
	m, ok, _ := unstructured.NestedMap(o.Object, "spec", "forProvider", "manifest")
	if !ok {
		return nil
	}
	return &unstructured.Unstructured{Object: m}
}

// SetUnwrapped records live as the object wrapper o reports, where provider-kubernetes writes
// it (status.atProvider.manifest): what a settled wrapper looks like to Unwrap.
func SetUnwrapped(o, live *unstructured.Unstructured) {
	if IsWrapper(o) && live != nil {
		_ = unstructured.SetNestedField(o.Object, live.Object, "status", "atProvider", "manifest")
	}
}

// Views returns the objects o stands for, best first: for a wrapper the live object it
// reports (Unwrap) and then the manifest it applies (Wrapped), whichever exist; for any other
// object o itself. Callers that look for something the object carries (an annotation, a
// Secret's data) look through these in order and so survive the window in which
// provider-kubernetes has not yet reported the live object.
func Views(o *unstructured.Unstructured) []*unstructured.Unstructured {
	if o == nil {
		return nil
	}
	if !IsWrapper(o) {
		return []*unstructured.Unstructured{o}
	}
	var out []*unstructured.Unstructured
	for _, v := range []*unstructured.Unstructured{Unwrap(o), Wrapped(o)} {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}
