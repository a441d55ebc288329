package policy

import (
	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Crossplane management actions, as written in spec.managementPolicies.
const (
	actionAll            = "*"
	actionObserve        = "Observe"
	actionCreate         = "Create"
	actionUpdate         = "Update"
	actionDelete         = "Delete"
	actionLateInitialize = "LateInitialize"
)

// deletionOrphan is the legacy spec.deletionPolicy value that keeps the external resource.
const deletionOrphan = "Orphan"

// allActions is "*" spelled out, in the order Crossplane documents the actions.
func allActions() []string {
	return []string{actionObserve, actionCreate, actionUpdate, actionDelete, actionLateInitialize}
}

// IsManaged reports whether o is a Crossplane managed resource, i.e. has spec.forProvider.
func IsManaged(o *unstructured.Unstructured) bool {
	if o == nil {
		return false
	}
	_, ok, _ := unstructured.NestedMap(o.Object, "spec", "forProvider")
	return ok
}

// HasManagementPolicies reports whether o sets spec.managementPolicies. Call it on the
// rendered object, before Once and Retain, to learn Once's templateSetsPolicies.
func HasManagementPolicies(o *unstructured.Unstructured) bool {
	if o == nil {
		return false
	}
	_, ok, _ := unstructured.NestedFieldNoCopy(o.Object, "spec", "managementPolicies")
	return ok
}

// managementPolicies returns o's spec.managementPolicies with "*" spelled out, or every
// action when the field is absent (Crossplane's default).
func managementPolicies(o *unstructured.Unstructured) ([]string, error) {
	raw, ok, err := unstructured.NestedFieldNoCopy(o.Object, "spec", "managementPolicies")
	if err != nil || !ok || raw == nil {
		return allActions(), nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, errors.Errorf("spec.managementPolicies is %T, not a list", raw)
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		s, ok := v.(string)
		if !ok {
			return nil, errors.Errorf("spec.managementPolicies holds %T, not a string", v)
		}
		if s == actionAll {
			out = append(out, allActions()...)
			continue
		}
		out = append(out, s)
	}
	return dedupe(out), nil
}

// dropActions removes actions from o's management policies and writes the result back.
func dropActions(o *unstructured.Unstructured, drop ...string) error {
	pol, err := managementPolicies(o)
	if err != nil {
		return err
	}
	out := make([]any, 0, len(pol))
	for _, p := range pol {
		if !contains(drop, p) {
			out = append(out, p)
		}
	}
	return errors.Wrap(unstructured.SetNestedField(o.Object, out, "spec", "managementPolicies"), "set spec.managementPolicies")
}

// orphaned reports whether o carries the legacy spec.deletionPolicy: Orphan.
func orphaned(o *unstructured.Unstructured) bool {
	p, _, _ := unstructured.NestedString(o.Object, "spec", "deletionPolicy")
	return p == deletionOrphan
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func dedupe(in []string) []string {
	out := in[:0]
	for _, s := range in {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
