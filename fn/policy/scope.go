package policy

import "k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

// clusterScoped are the built-in Kubernetes kinds (Kubernetes 1.35) that live outside any
// namespace, by API group and kind. A function sees no discovery, so any other kind, custom
// ones included, counts as namespaced; the API server drops the namespace of a cluster-scoped
// custom object anyway.
var clusterScoped = map[string]map[string]bool{
	"":                             {"Namespace": true, "Node": true, "PersistentVolume": true, "ComponentStatus": true},
	"rbac.authorization.k8s.io":    {"ClusterRole": true, "ClusterRoleBinding": true},
	"storage.k8s.io":               {"StorageClass": true, "CSIDriver": true, "CSINode": true, "VolumeAttachment": true, "VolumeAttributesClass": true},
	"apiextensions.k8s.io":         {"CustomResourceDefinition": true},
	"apiregistration.k8s.io":       {"APIService": true},
	"scheduling.k8s.io":            {"PriorityClass": true},
	"node.k8s.io":                  {"RuntimeClass": true},
	"networking.k8s.io":            {"IngressClass": true, "IPAddress": true, "ServiceCIDR": true},
	"certificates.k8s.io":          {"CertificateSigningRequest": true, "ClusterTrustBundle": true},
	"flowcontrol.apiserver.k8s.io": {"FlowSchema": true, "PriorityLevelConfiguration": true},
	"resource.k8s.io":              {"DeviceClass": true, "ResourceSlice": true},
	"admissionregistration.k8s.io": {
		"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true,
		"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
		"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
	},
}

// IsClusterScoped reports whether o is of a built-in cluster-scoped kind.
func IsClusterScoped(o *unstructured.Unstructured) bool {
	gvk := o.GroupVersionKind()
	return clusterScoped[gvk.Group][gvk.Kind]
}
