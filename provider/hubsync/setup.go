package hubsync

import (
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/metrics"
	"github.com/rowplane/rowplane/provider/schema"
)

// SetupOptions wire the Hub controller.
type SetupOptions struct {
	Logger   logging.Logger
	Metrics  *metrics.Metrics
	Renderer Renderer
	// Sources opens the row source of a Hub's ProviderConfig.
	Sources                 Opener
	MaxConcurrentReconciles int
	// MaxReconcileRate caps reconciles per second across Hubs.
	MaxReconcileRate int
}

// Setup adds the Hub controller to mgr. Hubs are polled every spec.syncInterval; a change to
// a Hub's spec or annotations (pause, deletion approval) triggers an immediate sync. The
// objects a Hub writes are not watched: a claim's status churn must not cause table reads.
func Setup(mgr ctrl.Manager, o SetupOptions) error {
	rd := mgr.GetAPIReader()
	r := NewReconciler(mgr.GetClient(), rd, schema.Reader{Mapper: mgr.GetRESTMapper(), Client: rd}, o.Sources, o.Renderer, o.Metrics,
		WithLogger(o.Logger.WithValues("controller", "hub")),
		WithRecorder(event.NewAPIRecorder(mgr.GetEventRecorderFor("provider-rowplane/hub"))), //nolint:staticcheck // crossplane-runtime's recorder wraps the record API.
	)
	return ctrl.NewControllerManagedBy(mgr).
		Named("hub").
		For(&v1alpha1.Hub{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		WithOptions(controller.Options{
			MaxConcurrentReconciles: max(o.MaxConcurrentReconciles, 1),
			RateLimiter:             ratelimiter.NewController(),
		}).
		Complete(ratelimiter.NewReconciler("hub", r, ratelimiter.NewGlobal(max(o.MaxReconcileRate, 1))))
}
