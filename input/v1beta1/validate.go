package v1beta1

import (
	"fmt"
	"strings"
)

// The values each enum field accepts, in the order messages list them. The CRD schema says
// the same through the kubebuilder markers on the types; the function reads its input
// without an API server, so it checks them itself.
var (
	CreationPolicies = []string{string(CreationWhenNeeded), string(CreationOnce)}
	DeletionPolicies = []string{string(DeletionDelete), string(DeletionRetain)}
	ConflictPolicies = []string{string(ConflictStuck), string(ConflictForce)}
	PatchStrategies  = []string{string(PatchApply), string(PatchMerge), string(PatchReplace)}
)

// A FieldError is one invalid field of one resource of a Form.
// +kubebuilder:object:generate=false
type FieldError struct {
	// ID is the resource id.
	ID string
	// Field is the field's name within the resource, e.g. deletionPolicy.
	Field string
	// Msg says what is wrong and what is allowed.
	Msg string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("resource %q field %s: %s", e.ID, e.Field, e.Msg)
}

// Validate checks the fields of r that accept a fixed set of values or a minimum, so that a
// typo such as deletionPolicy: Retian fails instead of silently meaning the default. Unset
// fields take their defaults and are valid.
func (r *Resource) Validate() []error {
	var errs []error
	check := func(field, value string, allowed []string) {
		if err := oneOf(r.ID, field, value, allowed); err != nil {
			errs = append(errs, err)
		}
	}
	check("creationPolicy", string(r.CreationPolicy), CreationPolicies)
	check("deletionPolicy", string(r.DeletionPolicy), DeletionPolicies)
	check("conflictPolicy", string(r.ConflictPolicy), ConflictPolicies)
	check("patchStrategy", string(r.PatchStrategy), PatchStrategies)
	if ps := r.PatchStrategy; ps == PatchMerge || ps == PatchReplace {
		// LynqForm's other strategies have no meaning here: accepting them silently would
		// promise a write that never happens.
		errs = append(errs, &FieldError{ID: r.ID, Field: "patchStrategy",
			Msg: fmt.Sprintf("%q is not supported: Crossplane writes every composed resource with server-side apply; remove patchStrategy or set it to %s", ps, PatchApply)})
	}
	if r.TimeoutSeconds != nil && *r.TimeoutSeconds < 1 {
		errs = append(errs, &FieldError{ID: r.ID, Field: "timeoutSeconds",
			Msg: fmt.Sprintf("%d is not allowed; use a number of seconds of 1 or more (default %d)", *r.TimeoutSeconds, DefaultTimeoutSeconds)})
	}
	return errs
}

func oneOf(id, field, value string, allowed []string) error {
	if value == "" {
		return nil
	}
	hint := ""
	for _, a := range allowed {
		if a == value {
			return nil
		}
		if strings.EqualFold(a, value) {
			hint = fmt.Sprintf(" (did you mean %s?)", a)
		}
	}
	return &FieldError{ID: id, Field: field,
		Msg: fmt.Sprintf("%q is not allowed; use one of %s%s", value, strings.Join(allowed, ", "), hint)}
}
