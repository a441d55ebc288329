// Package v1alpha1 contains the v1alpha1 API of provider-rowplane: the Hub that turns the rows of
// a MySQL, MariaDB or PostgreSQL table into claims or composite resources, and the ProviderConfig kinds that
// hold the database connection.
// +kubebuilder:object:generate=true
// +groupName=rowplane.io
// +versionName=v1alpha1
package v1alpha1

import (
	"reflect"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

// Package type metadata.
const (
	Group   = "rowplane.io"
	Version = "v1alpha1"
)

var (
	// SchemeGroupVersion is the group version used to register these objects.
	SchemeGroupVersion = schema.GroupVersion{Group: Group, Version: Version}

	// SchemeBuilder adds the types of this package to a scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: SchemeGroupVersion}

	// AddToScheme adds the types of this package to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

// Kind metadata of every type in this package.
var (
	HubKind                                        = reflect.TypeOf(Hub{}).Name()
	HubGroupVersionKind                            = SchemeGroupVersion.WithKind(HubKind)
	ProviderConfigKind                             = reflect.TypeOf(ProviderConfig{}).Name()
	ProviderConfigGroupVersionKind                 = SchemeGroupVersion.WithKind(ProviderConfigKind)
	ClusterProviderConfigKind                      = reflect.TypeOf(ClusterProviderConfig{}).Name()
	ClusterProviderConfigGroupVersionKind          = SchemeGroupVersion.WithKind(ClusterProviderConfigKind)
	ProviderConfigUsageKind                        = reflect.TypeOf(ProviderConfigUsage{}).Name()
	ProviderConfigUsageGroupVersionKind            = SchemeGroupVersion.WithKind(ProviderConfigUsageKind)
	ProviderConfigUsageListGroupVersionKind        = SchemeGroupVersion.WithKind(reflect.TypeOf(ProviderConfigUsageList{}).Name())
	ClusterProviderConfigUsageKind                 = reflect.TypeOf(ClusterProviderConfigUsage{}).Name()
	ClusterProviderConfigUsageGroupVersionKind     = SchemeGroupVersion.WithKind(ClusterProviderConfigUsageKind)
	ClusterProviderConfigUsageListGroupVersionKind = SchemeGroupVersion.WithKind(reflect.TypeOf(ClusterProviderConfigUsageList{}).Name())
)

func init() {
	SchemeBuilder.Register(&Hub{}, &HubList{})
	SchemeBuilder.Register(&ProviderConfig{}, &ProviderConfigList{})
	SchemeBuilder.Register(&ClusterProviderConfig{}, &ClusterProviderConfigList{})
	SchemeBuilder.Register(&ProviderConfigUsage{}, &ProviderConfigUsageList{})
	SchemeBuilder.Register(&ClusterProviderConfigUsage{}, &ClusterProviderConfigUsageList{})
}
