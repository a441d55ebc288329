// Package v1beta1 contains the input type of function-rowplane: a Form, the LynqForm model of
// templated resources with ids, dependencies, readiness and lifecycle policies.
// +kubebuilder:object:generate=true
// +groupName=fn.rowplane.io
// +versionName=v1beta1
package v1beta1
