// Package policy applies a Form resource's lifecycle policies to a rendered object: Once
// (creationPolicy: Once), IgnoreFields (ignoreFields) and Retain (deletionPolicy: Retain).
//
// All three are pure functions of the rendered (desired) object and the observed object, so
// they behave the same in a cluster and in `crossplane render --observed-resources`, where the
// observed objects come from YAML files and carry no managedFields.
//
// Call them on each rendered object in this order:
//
//	obj := desired
//	if once { obj, err = policy.Once(desired, observed, policy.HasManagementPolicies(desired)) }
//	if len(paths) > 0 { err = policy.IgnoreFields(obj, policy.Unwrap(observed), paths) }
//	if retain { obj, err = policy.Retain(obj, opts) }
//
// observed may be the live object or the Retain wrapper around it; Once understands both.
//
// Once comes first so that what it freezes is the object itself, never a wrapper or
// policies Retain added; a later switch of deletionPolicy therefore still takes effect on a
// frozen object. IgnoreFields comes after Once so that live values (an HPA's replicas) win
// over the frozen ones too, and before Retain so that its paths are relative to the object,
// not to the provider-kubernetes Object that wraps it. The management policies Once and
// Retain compute do not depend on their order: both start from the template's policies (or
// Crossplane's default "*"), Once drops Update and Retain drops Delete.
package policy
