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

// finalize deletes (policy Delete) or orphans (policy Orphan) a deleted Hub's objects, then
// releases the Hub.
func (r *Reconciler) finalize(ctx context.Context, log logging.Logger, hub *v1alpha1.Hub) (reconcile.Result, error) {
	if !meta.FinalizerExists(hub, Finalizer) {
		return reconcile.Result{}, nil
	}
	ev := newEvents(r.record, hub)
	defer ev.flush()
	orig := hub.DeepCopy()
	hub.SetConditions(xpv2.Deleting())
	_ = r.patchStatus(ctx, orig, hub)

	targets, err := resolveTargets(ctx, r.kinds, hub)
	if err != nil {
		// Without the target schemas the Hub cannot find its objects: retry rather than release
		// the Hub with objects unaccounted for.
		ev.warning(ReasonConfigError, fmt.Errorf("resolve targets for cleanup: %w", err))
		return reconcile.Result{RequeueAfter: errorRequeue}, nil
	}
	orphan := hub.Spec.Deletion.Policy == v1alpha1.DeletionOrphan
	var errs []error
	for _, t := range targets {
		obs, err := observe(ctx, r.reader, hub, t)
		if err != nil {
			return reconcile.Result{}, err
		}
		for _, o := range obs {
			if !o.ours || o.deleting {
				continue
			}
			if orphan {
				err = r.orphan(ctx, hub, o)
				r.metrics.Write(hub.Namespace, hub.Name, metrics.OpOrphan, err)
				if err == nil {
					ev.normal(ReasonOrphaned, "Hub deleted with policy Orphan: released %q of row %s", o.name, o.uid)
				}
			} else {
				err = r.deleteObject(ctx, hub, o)
				r.metrics.Write(hub.Namespace, hub.Name, metrics.OpDelete, err)
				if err == nil {
					ev.normal(ReasonDeleted, "Hub deleted with policy Delete: deleted %q of row %s", o.name, o.uid)
				}
			}
			if err != nil {
				errs = append(errs, err)
				ev.warning(ReasonWriteFailed, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return reconcile.Result{}, err
	}
	meta.RemoveFinalizer(hub, Finalizer)
	if err := r.client.Update(ctx, hub); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(fmt.Errorf("remove finalizer: %w", err))
	}
	r.metrics.Forget(hub.Namespace, hub.Name)
	log.Info("released Hub objects", "policy", hub.Spec.Deletion.Policy)
	return reconcile.Result{}, nil
}

// orphan removes the Hub's labels and hash from an object so no Hub claims it any more. The uid
// annotation stays as a record of where the object came from.
func (r *Reconciler) orphan(ctx context.Context, hub *v1alpha1.Hub, o observed) error {
	u := objectRef(hub, o)
	patch := fmt.Sprintf(`{"metadata":{"labels":{%q:null,%q:null},"annotations":{%q:null}}}`,
		v1alpha1.LabelHub, v1alpha1.LabelHubNamespace, v1alpha1.AnnotationHash)
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
