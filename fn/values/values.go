// Package values builds the template variables of one tenant from the observed composite
// resource: the fields under the Form's valuesFrom path plus Lynq's well-known variables.
package values

import (
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/fieldpath"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composite"
	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/internal/contract"
)

// Build returns the variables for templates: every field under valuesFrom, then uid, activate,
// hubId, templateRef, host (from hostOrUrl), xr (the whole observed XR) and observed (the
// observed composed resources by id). Fields of the values win over the derived ones, except xr
// and observed which are always the live objects.
func Build(xr *composite.Unstructured, valuesFrom, formHubID string, observed map[resource.Name]map[string]any) (map[string]any, error) {
	vars := map[string]any{}
	raw, ok := lookup(xr.Object, valuesFrom)
	if !ok {
		var err error
		raw, err = fieldpath.Pave(xr.Object).GetValue(valuesFrom)
		if err != nil && !fieldpath.IsNotFound(err) {
			return nil, errors.Wrapf(err, "cannot read the template values at %q of the composite resource", valuesFrom)
		}
	}
	if raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, errors.Errorf("valuesFrom %q of the composite resource is a %T, not an object", valuesFrom, raw)
		}
		for k, v := range m {
			vars[k] = v
		}
	}
	setDefault(vars, contract.VarUID, uid(xr))
	setDefault(vars, contract.VarActivate, true)
	if hub := xr.GetLabels()[contract.LabelHub]; hub != "" {
		setDefault(vars, contract.VarHubID, hub)
	}
	setDefault(vars, contract.VarHubID, formHubID)
	if ref := compositionName(xr); ref != "" {
		setDefault(vars, contract.VarTemplateRef, ref)
	}
	if h, ok := vars[contract.VarHostOrURL].(string); ok {
		setDefault(vars, contract.VarHost, contract.Host(h))
	}
	vars[contract.VarXR] = xr.Object
	obs := make(map[string]any, len(observed))
	for name, o := range observed {
		obs[string(name)] = o
	}
	vars[contract.VarObserved] = obs
	return vars, nil
}

func uid(xr *composite.Unstructured) string {
	if u := xr.GetAnnotations()[contract.AnnotationUID]; u != "" {
		return u
	}
	if c := xr.GetLabels()[contract.LabelClaimName]; c != "" {
		return c
	}
	return xr.GetName()
}

func compositionName(xr *composite.Unstructured) string {
	for _, p := range []string{"spec.crossplane.compositionRef.name", "spec.compositionRef.name"} {
		if v, _ := lookup(xr.Object, p); v != nil {
			if s, ok := v.(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// lookup reads a dotted path of object fields from m without parsing it into segments, as
// fieldpath would on every call. ok is false when path has more than fields (an index, a
// quoted key) or reaches through a value that is not an object: fieldpath then reads it
// and says what is wrong. A missing field is (nil, true), as fieldpath's not found.
func lookup(m map[string]any, path string) (any, bool) {
	if path == "" || strings.ContainsAny(path, "[]'\"") {
		return nil, false
	}
	var cur any = m
	for rest := path; ; {
		key, tail, more := strings.Cut(rest, ".")
		if key == "" {
			return nil, false
		}
		obj, isObj := cur.(map[string]any)
		if !isObj {
			return nil, false
		}
		v, found := obj[key]
		if !found {
			return nil, true
		}
		if !more {
			return v, true
		}
		cur, rest = v, tail
	}
}

func setDefault(vars map[string]any, k string, v any) {
	if cur, ok := vars[k]; ok && cur != nil && cur != "" {
		return
	}
	vars[k] = v
}
