package v1beta1

import (
	"k8s.io/apimachinery/pkg/runtime"
)

// CreationPolicy says whether a resource follows its template or is frozen once created.
// +kubebuilder:validation:Enum=WhenNeeded;Once
type CreationPolicy string

// Creation policies.
const (
	// CreationWhenNeeded keeps the resource in step with its template on every reconcile.
	CreationWhenNeeded CreationPolicy = "WhenNeeded"
	// CreationOnce renders the resource once; later reconciles emit what was created.
	CreationOnce CreationPolicy = "Once"
)

// DeletionPolicy says what happens to a resource when its tenant goes away.
// +kubebuilder:validation:Enum=Delete;Retain
type DeletionPolicy string

// Deletion policies.
const (
	// DeletionDelete deletes the resource with its composite resource.
	DeletionDelete DeletionPolicy = "Delete"
	// DeletionRetain keeps the resource (or its external resource) when the tenant is deleted.
	DeletionRetain DeletionPolicy = "Retain"
)

// ConflictPolicy is LynqForm's server-side apply conflict switch.
// +kubebuilder:validation:Enum=Stuck;Force
type ConflictPolicy string

// Conflict policies.
const (
	ConflictStuck ConflictPolicy = "Stuck"
	ConflictForce ConflictPolicy = "Force"
)

// PatchStrategy is LynqForm's write strategy.
// +kubebuilder:validation:Enum=apply;merge;replace
type PatchStrategy string

// Patch strategies.
const (
	PatchApply   PatchStrategy = "apply"
	PatchMerge   PatchStrategy = "merge"
	PatchReplace PatchStrategy = "replace"
)

// A Resource is one templated object of a Form.
type Resource struct {
	// ID names the resource within the composition. It is the composed resource's key, so it
	// must stay stable: renaming an id deletes the old resource and creates a new one.
	// +kubebuilder:validation:MinLength=1
	ID string `json:"id"`

	// Spec is the whole object. Every string value is a Go template; map keys are not rendered.
	// +kubebuilder:pruning:PreserveUnknownFields
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:validation:Type=object
	// +optional
	Spec *runtime.RawExtension `json:"spec,omitempty"`

	// Manifest is the whole object as one template, rendered and then parsed as YAML, so a
	// template may produce unquoted numbers and booleans. Set spec or manifest, not both.
	// +optional
	Manifest string `json:"manifest,omitempty"`

	// NameTemplate renders metadata.name.
	// +optional
	NameTemplate string `json:"nameTemplate,omitempty"`

	// LabelsTemplate renders labels merged over the object's own metadata.labels.
	// +optional
	LabelsTemplate map[string]string `json:"labelsTemplate,omitempty"`

	// AnnotationsTemplate renders annotations merged over the object's own metadata.annotations.
	// +optional
	AnnotationsTemplate map[string]string `json:"annotationsTemplate,omitempty"`

	// TargetNamespace renders metadata.namespace. Ignored for Namespace objects.
	// +optional
	TargetNamespace string `json:"targetNamespace,omitempty"`

	// DependIDs are ids that must be created (and, when they wait for readiness, ready) before
	// this resource is created.
	// +optional
	DependIDs []string `json:"dependIds,omitempty"`

	// WaitForReady makes dependents wait until this resource is ready.
	// +kubebuilder:default=true
	// +optional
	WaitForReady *bool `json:"waitForReady,omitempty"`

	// TimeoutSeconds is how long the resource may take to become ready before it is failed.
	// +kubebuilder:default=300
	// +kubebuilder:validation:Minimum=1
	// +optional
	TimeoutSeconds *int32 `json:"timeoutSeconds,omitempty"`

	// SkipOnDependencyFailure withholds this resource while a dependency has failed.
	// +kubebuilder:default=true
	// +optional
	SkipOnDependencyFailure *bool `json:"skipOnDependencyFailure,omitempty"`

	// ReadyWhen is a CEL expression over the observed object (as `object`) that decides
	// readiness, for kinds whose status is not standard.
	// +optional
	ReadyWhen string `json:"readyWhen,omitempty"`

	// IncludeWhen is a template that must render "true" or "false"; with "false" the resource
	// is not part of the tenant's stack (and is removed, unless it is Retain).
	// +optional
	IncludeWhen string `json:"includeWhen,omitempty"`

	// CreationPolicy is WhenNeeded (follow the template) or Once (frozen at creation).
	// +kubebuilder:default=WhenNeeded
	// +optional
	CreationPolicy CreationPolicy `json:"creationPolicy,omitempty"`

	// DeletionPolicy is Delete or Retain (the object, or its external resource, outlives the
	// tenant).
	// +kubebuilder:default=Delete
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// ConflictPolicy is accepted for compatibility; Crossplane always applies with force.
	// +kubebuilder:default=Stuck
	// +optional
	ConflictPolicy ConflictPolicy `json:"conflictPolicy,omitempty"`

	// PatchStrategy is accepted for compatibility; Crossplane always uses server-side apply.
	// +kubebuilder:default=apply
	// +optional
	PatchStrategy PatchStrategy `json:"patchStrategy,omitempty"`

	// IgnoreFields are JSONPaths ($.spec.replicas) whose live value is kept on an existing
	// object, so the function never fights an autoscaler or an admin. [*] stands for every
	// element the live object has ($.spec.template.spec.containers[*].resources), paired with
	// the rendered elements by position.
	// +optional
	IgnoreFields []string `json:"ignoreFields,omitempty"`
}
