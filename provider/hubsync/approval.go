package hubsync

import (
	"context"
	"fmt"

	"github.com/pkg/errors"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// guardInput is the part of a GuardInput that comes from the Hub and the objects to delete.
func guardInput(hub *v1alpha1.Hub, deletes []observed) GuardInput {
	d := hub.Spec.Deletion
	in := GuardInput{
		Hub: hub.Name, Namespace: hub.Namespace, AllowEmpty: d.AllowEmpty, MaxPerSync: d.MaxPerSync,
		MaxPercent: DefaultMaxPercent, Approval: hub.GetAnnotations()[v1alpha1.AnnotationApproveDeletions],
	}
	if d.MaxPercent != nil {
		in.MaxPercent = *d.MaxPercent
	}
	for _, o := range deletes {
		in.Deletions = append(in.Deletions, hub.Spec.Targets[o.target].Kind+"/"+o.name)
	}
	return in
}

// guard runs the deletion guards: it removes an approval that approves nothing (with a warning
// saying why), and records a pause in the DeletionsPaused condition, status, an event and the
// metrics.
func (r *Reconciler) guard(ctx context.Context, hub *v1alpha1.Hub, in GuardInput, ev *events) (GuardDecision, error) {
	g := Guard(in)
	var err error
	if g.RejectApproval != "" {
		ev.warning(ReasonApprovalRejected, errors.New(g.RejectApproval))
		err = r.removeApproval(ctx, hub, in.Approval)
	}
	if !g.Allow {
		hub.Status.PendingDeletionBatch = g.Batch
		hub.SetConditions(xpv2.Condition{Type: v1alpha1.TypeDeletionsPaused, Status: "True", Reason: g.Reason,
			Message: clip(g.Message, maxMessageLen), LastTransitionTime: metav1.Now(), ObservedGeneration: hub.Generation})
		ev.warning(ReasonDeletionsPaused, errors.New(g.Message))
		r.metrics.PausedDeletions(hub.Namespace, hub.Name, len(in.Deletions))
		return g, err
	}
	hub.Status.PendingDeletionBatch = ""
	hub.SetConditions(xpv2.Condition{Type: v1alpha1.TypeDeletionsPaused, Status: "False", Reason: v1alpha1.ReasonNoPausedDeletion,
		LastTransitionTime: metav1.Now(), ObservedGeneration: hub.Generation})
	r.metrics.PausedDeletions(hub.Namespace, hub.Name, 0)
	return g, err
}

// removeApproval removes the approval annotation if it still holds value. The patch carries the
// resourceVersion, so an approval an operator sets meanwhile is never removed unseen; on a
// conflict it looks again.
func (r *Reconciler) removeApproval(ctx context.Context, hub *v1alpha1.Hub, value string) error {
	cur := hub
	for range 2 {
		if v, ok := cur.GetAnnotations()[v1alpha1.AnnotationApproveDeletions]; !ok || v != value {
			return nil
		}
		patch := fmt.Sprintf(`{"metadata":{"resourceVersion":%q,"annotations":{%q:null}}}`, cur.ResourceVersion, v1alpha1.AnnotationApproveDeletions)
		h := cur.DeepCopy()
		err := r.client.Patch(ctx, h, client.RawPatch("application/merge-patch+json", []byte(patch)))
		if err == nil {
			delete(hub.Annotations, v1alpha1.AnnotationApproveDeletions)
			hub.ResourceVersion = h.ResourceVersion
			return nil
		}
		if !kerrors.IsConflict(err) {
			return fmt.Errorf("remove annotation %s: %w", v1alpha1.AnnotationApproveDeletions, err)
		}
		cur = &v1alpha1.Hub{}
		if err := r.client.Get(ctx, client.ObjectKeyFromObject(hub), cur); err != nil {
			return client.IgnoreNotFound(errors.Wrapf(err, "remove annotation %s", v1alpha1.AnnotationApproveDeletions))
		}
	}
	return fmt.Errorf("remove annotation %s: the Hub keeps changing", v1alpha1.AnnotationApproveDeletions)
}
