package policy

import (
	"encoding/base64"
	"encoding/json"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
)

// AnnotationOnce holds, on an object with creationPolicy: Once, the compact JSON of the object
// as first emitted (without this annotation). Later reconciles emit exactly that object, so
// Crossplane's apply is a no-op however the template, the row or `now` render today. For a
// Secret only the keys of data and stringData are stored, each with a null value; the values
// stay in the Secret alone.
const AnnotationOnce = "rowplane.io/created-once"

// MaxFrozenBytes bounds the frozen JSON. The API server allows 256 KiB for all of an object's
// annotations together; an object near that is better not created Once.
const MaxFrozenBytes = 128 * 1024

// Once applies creationPolicy: Once to the rendered object desired.
//
// When observed (the live object, or the provider-kubernetes Object wrapping it) carries
// AnnotationOnce, Once returns the object decoded from it, plus the annotation, and ignores
// desired. Otherwise (nothing observed yet, or an existing object adopted now) it freezes
// desired: it returns a copy with the annotation set. For a managed resource Once also drops
// Update from spec.managementPolicies, so the external resource is never modified after
// creation, unless templateSetsPolicies says the template chose the policies itself; when the
// object is orphaned (spec.deletionPolicy: Orphan) it drops Delete as well so the two fields
// never disagree.
//
// A frozen Secret gets its data from the observed Secret. Behind a Retain wrapper whose
// provider redacts Secrets in its status, the values come from the manifest the wrapper last
// applied. A key found in neither (someone removed it) takes the value the template renders
// now, since the original is gone.
func Once(desired, observed *unstructured.Unstructured, templateSetsPolicies bool) (*unstructured.Unstructured, error) {
	if desired == nil {
		return nil, errors.New("creationPolicy Once: no rendered object")
	}
	if frozen, ok := FrozenAnnotation(observed); ok {
		obj, err := thaw(frozen, desired, observed)
		return obj, errors.Wrapf(err, "creationPolicy Once: %s %q", desired.GetKind(), desired.GetName())
	}
	obj := desired.DeepCopy()
	if IsManaged(obj) && !templateSetsPolicies {
		drop := []string{actionUpdate}
		if orphaned(obj) {
			drop = append(drop, actionDelete)
		}
		if err := dropActions(obj, drop...); err != nil {
			return nil, errors.Wrapf(err, "creationPolicy Once: %s %q", obj.GetKind(), obj.GetName())
		}
	}
	frozen, err := freeze(obj)
	if err != nil {
		return nil, errors.Wrapf(err, "creationPolicy Once: %s %q", obj.GetKind(), obj.GetName())
	}
	setAnnotation(obj, AnnotationOnce, frozen)
	return obj, nil
}

// Frozen returns the object a creationPolicy: Once resource emits when observed already
// carries AnnotationOnce, without the rendered object: what Once would return for any render.
// ok is false when observed is not frozen, when the annotation does not decode, or when the
// frozen object is a Secret with a key neither the live Secret nor a wrapper's manifest holds
// (only the render has its value): the caller then renders and calls Once. Skipping the render
// is the point: a frozen object costs a JSON decode instead of a template run and a YAML parse.
func Frozen(observed *unstructured.Unstructured) (obj *unstructured.Unstructured, ok bool) {
	frozen, found := FrozenAnnotation(observed)
	if !found {
		return nil, false
	}
	m := map[string]any{}
	if err := utiljson.Unmarshal([]byte(frozen), &m); err != nil {
		return nil, false
	}
	obj = &unstructured.Unstructured{Object: m}
	if isSecret(obj) && !restoreSecretData(obj, nil, observed) {
		return nil, false
	}
	setAnnotation(obj, AnnotationOnce, frozen)
	return obj, true
}

// FrozenAnnotation finds AnnotationOnce on observed. For a wrapper it looks at the live
// object first and then at the manifest the wrapper applies, so the frozen object survives
// the window in which provider-kubernetes has not yet reported the live object.
func FrozenAnnotation(observed *unstructured.Unstructured) (string, bool) {
	for _, v := range Views(observed) {
		if a, ok := v.GetAnnotations()[AnnotationOnce]; ok {
			return a, true
		}
	}
	return "", false
}

// freeze returns the compact JSON of obj without AnnotationOnce and without Secret values.
func freeze(obj *unstructured.Unstructured) (string, error) {
	c := obj.DeepCopy()
	removeAnnotation(c, AnnotationOnce)
	if isSecret(c) {
		for _, field := range []string{"data", "stringData"} {
			m, ok := c.Object[field].(map[string]any)
			if !ok {
				continue
			}
			keys := make(map[string]any, len(m))
			for k := range m {
				keys[k] = nil
			}
			c.Object[field] = keys
		}
	}
	b, err := json.Marshal(c.Object)
	if err != nil {
		return "", errors.Wrap(err, "encode frozen object")
	}
	if len(b) > MaxFrozenBytes {
		return "", errors.Errorf("frozen object is %d bytes, more than the %d an annotation may hold", len(b), MaxFrozenBytes)
	}
	return string(b), nil
}

// thaw decodes a frozen object and sets the annotation back, byte for byte, so the apply
// stays a no-op.
func thaw(frozen string, desired, observed *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	m := map[string]any{}
	if err := utiljson.Unmarshal([]byte(frozen), &m); err != nil {
		return nil, errors.Wrapf(err, "decode annotation %s", AnnotationOnce)
	}
	obj := &unstructured.Unstructured{Object: m}
	if isSecret(obj) {
		restoreSecretData(obj, desired, observed)
	}
	setAnnotation(obj, AnnotationOnce, frozen)
	return obj, nil
}

// restoreSecretData replaces the null placeholders of a frozen Secret with the values of
// the existing Secret. The API server folds stringData into data, so the result has data only.
// It reports whether every key found a value; desired may be nil.
func restoreSecretData(obj, desired, observed *unstructured.Unstructured) bool {
	var keys []string
	for _, field := range []string{"data", "stringData"} {
		if m, ok := obj.Object[field].(map[string]any); ok {
			for k := range m {
				keys = append(keys, k)
			}
		}
	}
	delete(obj.Object, "stringData")
	if len(keys) == 0 {
		delete(obj.Object, "data")
		return true
	}
	// Sources, best first: the live Secret, the manifest a wrapper applied, the render.
	sources := append(Views(observed), desired)
	data := make(map[string]any, len(keys))
	complete := true
	for _, k := range keys {
		found := false
		for _, src := range sources {
			if v, ok := secretValue(src, k); ok {
				data[k] = v
				found = true
				break
			}
		}
		complete = complete && found
	}
	obj.Object["data"] = data
	return complete
}

// secretValue returns key k of a Secret as a data (base64) value, from data or stringData.
func secretValue(secret *unstructured.Unstructured, k string) (any, bool) {
	if secret == nil {
		return nil, false
	}
	if v, ok, _ := unstructured.NestedFieldCopy(secret.Object, "data", k); ok && v != nil {
		return v, true
	}
	s, ok, _ := unstructured.NestedString(secret.Object, "stringData", k)
	if !ok {
		return nil, false
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), true
}

func isSecret(o *unstructured.Unstructured) bool {
	return o.GetAPIVersion() == "v1" && o.GetKind() == "Secret"
}

func setAnnotation(o *unstructured.Unstructured, k, v string) {
	a := o.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	a[k] = v
	o.SetAnnotations(a)
}

func removeAnnotation(o *unstructured.Unstructured, k string) {
	a := o.GetAnnotations()
	if _, ok := a[k]; !ok {
		return
	}
	delete(a, k)
	if len(a) == 0 {
		unstructured.RemoveNestedField(o.Object, "metadata", "annotations")
		return
	}
	o.SetAnnotations(a)
}
