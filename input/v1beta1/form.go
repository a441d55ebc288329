package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A Form is the input of function-rowplane. Its spec is a LynqForm spec: templated resources,
// grouped in the sixteen Lynq lists or in the flat resources list, that the function renders
// into composed resources of the composite resource it runs for.
// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:resource:categories=crossplane
type Form struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec FormSpec `json:"spec"`
}

// FormSpec lists the resources to render. Ids are unique across every list.
type FormSpec struct {
	// HubID is accepted for compatibility with LynqForm and otherwise ignored: in rowplane the
	// Hub picks the Composition, not the other way round.
	// +optional
	HubID string `json:"hubId,omitempty"`

	// Rollout is accepted for compatibility with LynqForm and ignored: Crossplane reconciles each
	// composite resource on its own.
	// +optional
	Rollout *Rollout `json:"rollout,omitempty"`

	// ValuesFrom is the field path on the observed composite resource whose fields become the
	// template variables.
	// +kubebuilder:default=spec
	// +optional
	ValuesFrom string `json:"valuesFrom,omitempty"`

	// Resources is the native, flat list of resources of any kind.
	// +optional
	Resources []Resource `json:"resources,omitempty"`

	// The sixteen LynqForm lists. The list a resource sits in is documentation only: the kind
	// comes from its spec or manifest.

	// +optional
	Namespaces []Resource `json:"namespaces,omitempty"`
	// +optional
	ServiceAccounts []Resource `json:"serviceAccounts,omitempty"`
	// +optional
	Deployments []Resource `json:"deployments,omitempty"`
	// +optional
	StatefulSets []Resource `json:"statefulSets,omitempty"`
	// +optional
	DaemonSets []Resource `json:"daemonSets,omitempty"`
	// +optional
	Services []Resource `json:"services,omitempty"`
	// +optional
	Ingresses []Resource `json:"ingresses,omitempty"`
	// +optional
	ConfigMaps []Resource `json:"configMaps,omitempty"`
	// +optional
	Secrets []Resource `json:"secrets,omitempty"`
	// +optional
	PersistentVolumeClaims []Resource `json:"persistentVolumeClaims,omitempty"`
	// +optional
	Jobs []Resource `json:"jobs,omitempty"`
	// +optional
	CronJobs []Resource `json:"cronJobs,omitempty"`
	// +optional
	PodDisruptionBudgets []Resource `json:"podDisruptionBudgets,omitempty"`
	// +optional
	NetworkPolicies []Resource `json:"networkPolicies,omitempty"`
	// +optional
	HorizontalPodAutoscalers []Resource `json:"horizontalPodAutoscalers,omitempty"`
	// +optional
	Manifests []Resource `json:"manifests,omitempty"`
}

// Rollout is LynqForm's rollout throttle, accepted and ignored.
type Rollout struct {
	// +optional
	MaxSkew *int32 `json:"maxSkew,omitempty"`
	// +optional
	ProgressDeadlineSeconds *int32 `json:"progressDeadlineSeconds,omitempty"`
}
