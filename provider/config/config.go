// Package config runs crossplane-runtime's ProviderConfig reconciler for both ProviderConfig
// kinds: it counts the Hubs using a config and blocks its deletion while any does, and closes
// the connections of a config once it is deleted.
package config

import (
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/providerconfig"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// Setup adds the ProviderConfig and ClusterProviderConfig controllers to mgr. Hubs record both
// kinds of use in namespaced ProviderConfigUsages (a namespaced Hub cannot own a cluster-scoped
// usage), labelled with the config's kind. pools forgets the connections of deleted configs.
func Setup(mgr ctrl.Manager, log logging.Logger, pools Forgetter) error {
	for _, k := range []struct {
		kind  string
		obj   resource.ProviderConfig
		newPC func() client.Object
	}{
		{v1alpha1.ProviderConfigKind, &v1alpha1.ProviderConfig{}, func() client.Object { return &v1alpha1.ProviderConfig{} }},
		{v1alpha1.ClusterProviderConfigKind, &v1alpha1.ClusterProviderConfig{}, func() client.Object { return &v1alpha1.ClusterProviderConfig{} }},
	} {
		name := providerconfig.ControllerName(k.kind)
		r := providerconfig.NewReconciler(mgr, resource.ProviderConfigKinds{
			Config:    v1alpha1.SchemeGroupVersion.WithKind(k.kind),
			Usage:     v1alpha1.ProviderConfigUsageGroupVersionKind,
			UsageList: v1alpha1.ProviderConfigUsageListGroupVersionKind,
		},
			providerconfig.WithLogger(log.WithValues("controller", name)),
			providerconfig.WithRecorder(event.NewAPIRecorder(mgr.GetEventRecorderFor(name))), //nolint:staticcheck // crossplane-runtime's recorder wraps the record API.
		)
		err := ctrl.NewControllerManagedBy(mgr).
			Named(name).
			For(k.obj).
			Watches(&v1alpha1.ProviderConfigUsage{}, &resource.EnqueueRequestForProviderConfig{Kind: k.kind}).
			Complete(forgetGone{next: r, client: mgr.GetClient(), kind: k.kind, newPC: k.newPC, pools: pools})
		if err != nil {
			return err
		}
	}
	return nil
}
