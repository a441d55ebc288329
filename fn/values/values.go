// Package values builds the template variables of one tenant from the observed composite
// resource: the fields under the Form's valuesFrom path plus Lynq's well-known variables.
package values

import (
	"github.com/crossplane/crossplane-runtime/v2/pkg/fieldpath"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composite"
	"github.com/pkg/errors"
	"github.com/rowplane/rowplane/fn/template"
)

// Labels and annotations that tell the function which row a composite resource stands for.
const (
	// AnnotationUID carries the row's uid; provider-rowplane sets it on every claim and XR, and
	// Crossplane copies claim annotations to the XR.
	AnnotationUID = "rowplane.io/uid"
	// LabelHub names the Hub that owns a claim or XR.
	LabelHub = "rowplane.io/hub"
	// labelClaimName is set by Crossplane on an XR bound to a claim.
	labelClaimName = "crossplane.io/claim-name"
)

// Build returns the variables for templates: every field under valuesFrom, then uid, activate,
// hubId, templateRef, host (from hostOrUrl), xr (the whole observed XR) and observed (the
// observed composed resources by id). Fields of the values win over the derived ones, except xr
// and observed which are always the live objects.
func Build(xr *composite.Unstructured, valuesFrom, formHubID string, observed map[resource.Name]map[string]any) (map[string]any, error) {
	vars := map[string]any{}
	raw, err := fieldpath.Pave(xr.Object).GetValue(valuesFrom)
	if err != nil && !fieldpath.IsNotFound(err) {
		return nil, errors.Wrapf(err, "cannot read the template values at %q of the composite resource", valuesFrom)
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
	setDefault(vars, "uid", uid(xr))
	setDefault(vars, "activate", true)
	if hub := xr.GetLabels()[LabelHub]; hub != "" {
		setDefault(vars, "hubId", hub)
	}
	setDefault(vars, "hubId", formHubID)
	if ref := compositionName(xr); ref != "" {
		setDefault(vars, "templateRef", ref)
	}
	if h, ok := vars["hostOrUrl"].(string); ok {
		setDefault(vars, "host", template.ToHost(h))
	}
	vars["xr"] = xr.Object
	obs := make(map[string]any, len(observed))
	for name, o := range observed {
		obs[string(name)] = o
	}
	vars["observed"] = obs
	return vars, nil
}

func uid(xr *composite.Unstructured) string {
	if u := xr.GetAnnotations()[AnnotationUID]; u != "" {
		return u
	}
	if c := xr.GetLabels()[labelClaimName]; c != "" {
		return c
	}
	return xr.GetName()
}

func compositionName(xr *composite.Unstructured) string {
	for _, p := range []string{"spec.crossplane.compositionRef.name", "spec.compositionRef.name"} {
		if s, err := fieldpath.Pave(xr.Object).GetString(p); err == nil && s != "" {
			return s
		}
	}
	return ""
}

func setDefault(vars map[string]any, k string, v any) {
	if cur, ok := vars[k]; ok && cur != nil && cur != "" {
		return
	}
	vars[k] = v
}
