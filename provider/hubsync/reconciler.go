// Package hubsync is the Hub controller: every sync interval it reads the Hub's table and makes
// one claim or composite resource per active row and target exist, with server-side apply under
// its own field manager, and deletes the objects of gone or inactive rows behind guards that
// keep a database accident from deleting tenants.
package hubsync

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/metrics"
	"github.com/rowplane/rowplane/provider/source"
)

const (
	// FieldManager owns the fields the Hub writes on its objects.
	FieldManager = "rowplane-hub"
	// Finalizer keeps a Hub until its objects are deleted or orphaned.
	Finalizer = "rowplane.io/hub-objects"

	errAddFinalizer    = "cannot add the Hub's finalizer"
	errRemoveFinalizer = "cannot remove the Hub's finalizer"
	errUpdateStatus    = "cannot update the Hub's status"
	errGetHub          = "cannot get Hub"

	defaultSyncInterval = 30 * time.Second
	// errorRequeue retries a failed sync sooner than the interval, but not hot.
	errorRequeue = 15 * time.Second
)

// A Reconciler syncs Hubs.
type Reconciler struct {
	// client writes objects and Hubs; reader reads without a cache (objects, Secrets, CRDs).
	client  client.Client
	reader  client.Reader
	kinds   KindReader
	sources Opener
	hints   Hinter
	// finalizer holds a Hub until its objects are released.
	finalizer resource.Finalizer
	// usage records which ProviderConfig a Hub uses, so the config cannot be deleted under it.
	usage   resource.ModernTracker
	render  Renderer
	log     logging.Logger
	record  event.Recorder
	metrics *metrics.Metrics
	now     func() time.Time
}

// An Opener opens the row Source of a ProviderConfig, known by its owner name (see
// source.Owner); source.Pools is one. Tests give a fake.
type Opener interface {
	Open(owner string, c source.Connection) (source.Source, error)
}

// Option configures a Reconciler.
type Option func(*Reconciler)

// WithLogger sets the logger.
func WithLogger(l logging.Logger) Option { return func(r *Reconciler) { r.log = l } }

// WithRecorder sets the event recorder.
func WithRecorder(e event.Recorder) Option { return func(r *Reconciler) { r.record = e } }

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) Option { return func(r *Reconciler) { r.now = now } }

// NewReconciler returns a Hub reconciler. c writes; rd reads objects, Secrets and CRDs and
// should not be cached; kr reads target schemas; src opens the row sources; m may be shared by
// several reconcilers.
func NewReconciler(c client.Client, rd client.Reader, kr KindReader, src Opener, render Renderer, m *metrics.Metrics, o ...Option) *Reconciler {
	r := &Reconciler{
		client: c, reader: rd, kinds: kr, sources: src, render: render, metrics: m, finalizer: resource.NewAPIFinalizer(c, Finalizer),
		usage: resource.NewProviderConfigUsageTracker(c, &v1alpha1.ProviderConfigUsage{}),
		log:   logging.NewNopLogger(), record: event.NewNopRecorder(), now: time.Now,
	}
	for _, fn := range o {
		fn(r)
	}
	return r
}

// Reconcile one Hub.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := r.log.WithValues("hub", req.NamespacedName)
	hub := &v1alpha1.Hub{}
	if err := r.client.Get(ctx, req.NamespacedName, hub); err != nil {
		if kerrors.IsNotFound(err) {
			r.stopHints(req.NamespacedName)
			r.metrics.Forget(req.Namespace, req.Name)
			return reconcile.Result{}, nil
		}
		return reconcile.Result{}, errors.Wrap(err, errGetHub)
	}
	if meta.IsPaused(hub) {
		log.Debug("paused")
		r.stopHints(req.NamespacedName)
		orig := hub.DeepCopy()
		hub.SetConditions(xpv2.ReconcilePaused())
		return reconcile.Result{}, r.patchStatus(ctx, orig, hub)
	}
	if meta.WasDeleted(hub) {
		r.stopHints(req.NamespacedName)
		return r.finalize(ctx, log, hub)
	}
	if err := r.finalizer.AddFinalizer(ctx, hub); err != nil {
		return reconcile.Result{}, errors.Wrap(err, errAddFinalizer)
	}
	interval := syncInterval(hub)
	start := r.now()
	orig := hub.DeepCopy()
	stage, nextExpiry, err := r.sync(ctx, log, hub)
	took := r.now().Sub(start)
	hub.Status.LastSyncDuration = durationPtr(took)
	hub.Status.ObservedGeneration = hub.Generation
	result := metrics.ResultSuccess
	if err != nil {
		result = metrics.ResultError
		r.metrics.SyncError(hub.Namespace, hub.Name, stage)
		hub.SetConditions(syncedError(stage, err).WithObservedGeneration(hub.Generation))
		log.Info("sync changed nothing", "stage", stage, "error", clip(err.Error(), maxMessageLen))
	} else {
		hub.SetConditions(xpv2.ReconcileSuccess().WithObservedGeneration(hub.Generation))
		log.Debug("synced", "duration", took)
	}
	r.metrics.SyncDone(hub.Namespace, hub.Name, result, took, interval)
	if perr := r.patchStatus(ctx, orig, hub); perr != nil {
		return reconcile.Result{}, perr
	}
	if err != nil && interval > errorRequeue {
		interval = errorRequeue
	}
	// A row that expires before the next tick is retired on time rather than up to an interval
	// late.
	return reconcile.Result{RequeueAfter: nextWake(interval, nextExpiry, r.now())}, nil
}

// patchStatus writes the Hub's status when it differs from orig. It sends the whole status
// (the counters are required and may be zero). A conflict (the Hub changed meanwhile) is
// returned as is: Setup wraps the reconciler in errors.WithSilentRequeueOnConflict, so the Hub
// is synced again at once against its new version.
func (r *Reconciler) patchStatus(ctx context.Context, orig, hub *v1alpha1.Hub) error {
	if equality.Semantic.DeepEqual(orig.Status, hub.Status) {
		return nil
	}
	return errors.Wrap(client.IgnoreNotFound(r.client.Status().Update(ctx, hub)), errUpdateStatus)
}

// syncedError is the Synced condition of a failed sync: reason ConfigurationError when the
// Hub's configuration (its targets, ProviderConfig, Secrets) is at fault, ReconcileError for
// anything else. The message is bounded like every other text the Hub writes.
func syncedError(stage string, err error) xpv2.Condition {
	c := xpv2.ReconcileError(errors.New(clip(err.Error(), maxMessageLen)))
	if stage == stageConfig || stage == stageSchema {
		c.Reason = xpv2.ConditionReason(ReasonConfigError)
	}
	return c
}

// syncInterval parses spec.syncInterval; the CRD pattern already guarantees its shape.
func syncInterval(hub *v1alpha1.Hub) time.Duration {
	d, err := time.ParseDuration(hub.Spec.SyncInterval)
	if err != nil || d <= 0 {
		return defaultSyncInterval
	}
	return d
}
