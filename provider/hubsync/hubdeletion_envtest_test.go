package hubsync_test

import (
	"strings"
	"testing"

	"k8s.io/utils/ptr"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

// TestHubDeletedByMistakeKeepsClaims deletes a Hub that does not set deletion.policy: it used to
// delete every claim without any guard.
func TestHubDeletedByMistakeKeepsClaims(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(nil, tenRows())
	h.sync()
	if got := h.getHub().Spec.Deletion.Policy; got != v1alpha1.DeletionOrphan {
		t.Errorf("deletion.policy defaults to Orphan, got %q", got)
	}
	if err := h.c.Delete(h.ctx, h.getHub()); err != nil {
		t.Fatal(err)
	}
	h.sync()
	if got := len(h.claims()); got != 10 {
		t.Errorf("a Hub deleted with the default policy: want all 10 claims kept, got %d", got)
	}
	c := h.claim("tenant-00")
	if _, ok := c.GetLabels()[v1alpha1.LabelHub]; ok {
		t.Errorf("an orphaned claim must lose label %s", v1alpha1.LabelHub)
	}
	if got := c.GetAnnotations()[v1alpha1.AnnotationOrphanedFrom]; got != h.ns+"/database-per-node" {
		t.Errorf("an orphaned claim says where it came from: want %s=%s/database-per-node, got %q", v1alpha1.AnnotationOrphanedFrom, h.ns, got)
	}
	waitGone(t, h)
}

// TestHubDeletionPolicyDeleteIsGuarded deletes a Hub with an explicit policy Delete: its claims
// go only through the deletion budget, or with an approval of their batch.
func TestHubDeletionPolicyDeleteIsGuarded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(func(hub *v1alpha1.Hub) { hub.Spec.Deletion.Policy = v1alpha1.DeletionDelete }, tenRows())
	h.sync()
	if err := h.c.Delete(h.ctx, h.getHub()); err != nil {
		t.Fatal(err)
	}
	if got := h.sync(); got != 0 {
		t.Errorf("10 of 10 over the 25%% budget: want 0 claim writes, got %d", got)
	}
	if got := len(h.claims()); got != 10 {
		t.Errorf("held: want 10 claims kept, got %d", got)
	}
	hub := h.getHub()
	s, msg := h.condition(v1alpha1.TypeDeletionsPaused)
	if s != "True/OverDeletionBudget" || hub.Status.PendingDeletionBatch == "" || !strings.Contains(msg, "="+hub.Status.PendingDeletionBatch) {
		t.Fatalf("a held Hub deletion: want DeletionsPaused True/OverDeletionBudget with the batch id, got %s %q", s, msg)
	}
	h.approve(hub.Status.PendingDeletionBatch)
	if got := h.sync(); got != 10 {
		t.Errorf("approved: want 10 deletions, got %d claim writes", got)
	}
	if got := len(h.claims()); got != 0 {
		t.Errorf("approved: want 0 claims, got %d", got)
	}
	if !h.rec.has(hubsync.ReasonDeleted, "policy Delete") {
		t.Errorf("want %s events", hubsync.ReasonDeleted)
	}
	waitGone(t, h)
}

// TestHubDeletionPolicyEnum proves the API server refuses a policy that is neither Delete nor
// Orphan, naming the field.
func TestHubDeletionPolicyEnum(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	hub := &v1alpha1.Hub{}
	hub.SetNamespace(h.ns)
	hub.SetName("bad-policy")
	hub.Spec = v1alpha1.HubSpec{Table: "nodes", ValueMappings: v1alpha1.ValueMappings{UID: "node_id", Activate: "is_active"},
		Targets:  []v1alpha1.Target{{APIVersion: claimGVK.GroupVersion().String(), Kind: claimGVK.Kind}},
		Deletion: v1alpha1.Deletion{Policy: "Destroy", MaxPercent: ptr.To[int32](25)}}
	err := h.c.Create(h.ctx, hub)
	if err == nil || !strings.Contains(err.Error(), "spec.deletion.policy") {
		t.Errorf("deletion.policy Destroy: want an error naming spec.deletion.policy, got %v", err)
	}
}
