package hubsync

import (
	"context"
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/metrics"
)

// validate checks, with the field it is about, what the CRD's schema checks too: a Hub stored
// before the schema did, or written past it, must not be read as something it does not say.
func validate(hub *v1alpha1.Hub) error {
	switch p := hub.Spec.Deletion.Policy; p {
	case "", v1alpha1.DeletionOrphan, v1alpha1.DeletionDelete:
		return nil
	default:
		return fmt.Errorf("spec.deletion.policy: %q is not one of %s (the default), %s", p, v1alpha1.DeletionOrphan, v1alpha1.DeletionDelete)
	}
}

// deletes says whether deleting hub deletes its objects. Only an explicit Delete does: a Hub
// deleted by mistake must not take every tenant with it.
func deletes(hub *v1alpha1.Hub) bool {
	return hub.Spec.Deletion.Policy == v1alpha1.DeletionDelete
}

// finalize orphans (the default) or deletes (policy Delete, behind the deletion guards) a
// deleted Hub's objects, then releases the Hub.
func (r *Reconciler) finalize(ctx context.Context, log logging.Logger, hub *v1alpha1.Hub) (reconcile.Result, error) {
	if !meta.FinalizerExists(hub, Finalizer) {
		return reconcile.Result{}, nil
	}
	ev := newEvents(r.record, hub)
	defer ev.flush()
	orig := hub.DeepCopy()
	hub.SetConditions(xpv2.Deleting())

	var objs []observed
	for i := range hub.Spec.Targets {
		t, err := resolveTarget(ctx, r.kinds, hub, i)
		if errors.Is(err, errNotXR) {
			// The Hub never writes such a kind, so it has nothing of that kind to clean up.
			ev.warning(ReasonConfigError, fmt.Errorf("cleanup skips it: %w", err))
			continue
		}
		if err != nil {
			// Without the target schemas the Hub cannot find its objects: retry rather than
			// release the Hub with objects unaccounted for.
			ev.warning(ReasonConfigError, fmt.Errorf("resolve targets for cleanup: %w", err))
			return reconcile.Result{RequeueAfter: errorRequeue}, r.patchStatus(ctx, orig, hub)
		}
		obs, err := observe(ctx, r.reader, hub, t)
		if err != nil {
			return reconcile.Result{}, err
		}
		for _, o := range obs {
			if o.ours && !o.deleting {
				objs = append(objs, o)
			}
		}
	}
	if deletes(hub) {
		in := guardInput(hub, objs)
		in.HubDeleted, in.Existing = true, len(objs)
		g, err := r.guard(ctx, hub, in, ev)
		if err != nil || !g.Allow {
			hub.Status.PendingDeletions = int64(len(objs))
			if perr := r.patchStatus(ctx, orig, hub); err == nil {
				err = perr
			}
			return reconcile.Result{RequeueAfter: syncInterval(hub)}, err
		}
	}
	_ = r.patchStatus(ctx, orig, hub)
	var errs []error
	for _, o := range objs {
		errs = append(errs, r.release(ctx, hub, o, ev))
	}
	if err := errors.Join(errs...); err != nil {
		return reconcile.Result{}, err
	}
	if err := r.finalizer.RemoveFinalizer(ctx, hub); err != nil {
		return reconcile.Result{}, fmt.Errorf("%s: %w", errRemoveFinalizer, err)
	}
	r.metrics.Forget(hub.Namespace, hub.Name)
	log.Info("released Hub objects", "deleted", deletes(hub))
	return reconcile.Result{}, nil
}

// release deletes or orphans one object of a deleted Hub.
func (r *Reconciler) release(ctx context.Context, hub *v1alpha1.Hub, o observed, ev *events) error {
	if !deletes(hub) {
		err := r.orphan(ctx, hub, o)
		r.metrics.Write(hub.Namespace, hub.Name, metrics.OpOrphan, err)
		if err != nil {
			ev.warning(ReasonWriteFailed, err)
			return err
		}
		ev.normal(ReasonOrphaned, "Hub deleted with policy Orphan: released %q of row %s", o.name, o.uid)
		return nil
	}
	err := r.deleteObject(ctx, hub, o)
	r.metrics.Write(hub.Namespace, hub.Name, metrics.OpDelete, err)
	if err != nil {
		ev.warning(ReasonWriteFailed, err)
		return err
	}
	ev.normal(ReasonDeleted, "Hub deleted with policy Delete: deleted %q of row %s", o.name, o.uid)
	return nil
}

// orphan removes the Hub's labels and hash from an object so no Hub claims it any more, and
// records which Hub it came from. The uid annotation stays too.
func (r *Reconciler) orphan(ctx context.Context, hub *v1alpha1.Hub, o observed) error {
	u := objectRef(hub, o)
	patch := fmt.Sprintf(`{"metadata":{"labels":{%q:null,%q:null},"annotations":{%q:null,%q:%q}}}`,
		v1alpha1.LabelHub, v1alpha1.LabelHubNamespace, v1alpha1.AnnotationHash,
		v1alpha1.AnnotationOrphanedFrom, hub.Namespace+"/"+hub.Name)
	if err := r.client.Patch(ctx, u, client.RawPatch("application/merge-patch+json", []byte(patch))); err != nil {
		return client.IgnoreNotFound(fmt.Errorf("row %s: orphan %q: %w", o.uid, o.name, err))
	}
	return nil
}

// objectRef is an unstructured object naming o, enough to delete or patch it.
func objectRef(hub *v1alpha1.Hub, o observed) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	t := hub.Spec.Targets[o.target]
	u.SetAPIVersion(t.APIVersion)
	u.SetKind(t.Kind)
	u.SetName(o.name)
	u.SetNamespace(o.namespace)
	return u
}
