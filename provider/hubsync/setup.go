package hubsync

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/source"

	xperrors "github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpevent "github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hint"
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

// hintBuffer holds the hints not yet taken by the controller; past it a hint is dropped, which
// only delays that Hub's sync to its interval (a queued sync of the Hub covers it anyway).
const hintBuffer = 1024

// Setup adds the Hub controller to mgr. Hubs are polled every spec.syncInterval; a change to
// a Hub's spec or annotations (pause, deletion approval) triggers an immediate sync, and so
// does a change hint (spec.changeDetection). The objects a Hub writes are not watched: a
// claim's status churn must not cause table reads.
func Setup(mgr ctrl.Manager, o SetupOptions) error {
	log := o.Logger.WithValues("controller", "hub")
	hints := make(chan event.GenericEvent, hintBuffer)
	watchers := hint.New(func(k types.NamespacedName) {
		select {
		case hints <- event.GenericEvent{Object: &v1alpha1.Hub{ObjectMeta: metav1.ObjectMeta{Namespace: k.Namespace, Name: k.Name}}}:
		default:
		}
	}, log)
	err := mgr.Add(manager.RunnableFunc(func(ctx context.Context) error {
		<-ctx.Done()
		watchers.Close()
		return nil
	}))
	if err != nil {
		return err
	}
	rd := mgr.GetAPIReader()
	r := NewReconciler(mgr.GetClient(), rd, schema.Reader{Mapper: mgr.GetRESTMapper(), Client: rd}, o.Sources, o.Renderer, o.Metrics,
		WithLogger(log), WithHints(watchers),
		WithRecorder(xpevent.NewAPIRecorder(mgr.GetEventRecorderFor("provider-rowplane/hub"))), //nolint:staticcheck // crossplane-runtime's recorder wraps the record API.
	)
	return ctrl.NewControllerManagedBy(mgr).
		Named("hub").
		For(&v1alpha1.Hub{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		WatchesRawSource(source.Channel(hints, &handler.EnqueueRequestForObject{})).
		WithOptions(controller.Options{
			MaxConcurrentReconciles: max(o.MaxConcurrentReconciles, 1),
			RateLimiter:             ratelimiter.NewController(),
		}).
		Complete(ratelimiter.NewReconciler("hub", xperrors.WithSilentRequeueOnConflict(r), ratelimiter.NewGlobal(max(o.MaxReconcileRate, 1))))
}
