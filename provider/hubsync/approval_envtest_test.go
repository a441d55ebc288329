package hubsync_test

import (
	"strings"
	"testing"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

// approve sets the Hub's approval annotation.
func (h *harness) approve(value string) {
	h.t.Helper()
	hub := h.getHub()
	if hub.Annotations == nil {
		hub.Annotations = map[string]string{}
	}
	hub.Annotations[v1alpha1.AnnotationApproveDeletions] = value
	if err := h.c.Update(h.ctx, hub); err != nil {
		h.t.Fatal(err)
	}
}

// approval returns the Hub's approval annotation and whether it is there.
func (h *harness) approval() (string, bool) {
	h.t.Helper()
	v, ok := h.getHub().Annotations[v1alpha1.AnnotationApproveDeletions]
	return v, ok
}

// TestStaleApprovalIsCleared sets an approval while nothing is held back. It used to stay and,
// later, let 4 of 5 claims go against a 25 % budget.
func TestStaleApprovalIsCleared(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(nil, `INSERT INTO nodes (node_id) VALUES ('a'), ('b'), ('c'), ('d'), ('e')`)
	h.sync()

	h.approve("4")
	h.sync()
	if v, ok := h.approval(); ok {
		t.Errorf("an approval while nothing is held must be removed, still %q", v)
	}
	if !h.rec.has(hubsync.ReasonApprovalRejected, "is a count, which approves nothing") {
		t.Errorf("want a %s event saying why", hubsync.ReasonApprovalRejected)
	}

	h.db.Exec(t, `UPDATE nodes SET is_active = FALSE WHERE node_id IN ('a', 'b', 'c', 'd')`)
	h.sync()
	if got := len(h.claims()); got != 5 {
		t.Errorf("4 of 5 deactivated after a stale approval: want all 5 claims kept, got %d", got)
	}
	if s, _ := h.condition(v1alpha1.TypeDeletionsPaused); s != "True/OverDeletionBudget" {
		t.Errorf("want DeletionsPaused True/OverDeletionBudget, got %s", s)
	}

	h.approve("4")
	h.sync()
	if got := len(h.claims()); got != 5 {
		t.Errorf("the count of a held batch approves nothing: want 5 claims kept, got %d", got)
	}
	if _, ok := h.approval(); ok || !h.rec.has(hubsync.ReasonApprovalRejected, "the held batch is "+h.getHub().Status.PendingDeletionBatch) {
		t.Errorf("a count for a held batch must be removed with an event naming the batch id")
	}
}

// TestApprovalNamesItsBatch is shown a batch (tenant-00 to 02), and approves it after the table
// changed so that other rows (tenant-03 to 05) are to be deleted: approving 3 used to delete
// those instead.
func TestApprovalNamesItsBatch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(nil, tenRows())
	h.sync()

	h.db.Exec(t, `UPDATE nodes SET is_active = FALSE WHERE node_id IN ('tenant-00', 'tenant-01', 'tenant-02')`)
	h.sync()
	shown := h.getHub().Status.PendingDeletionBatch
	_, msg := h.condition(v1alpha1.TypeDeletionsPaused)
	cmd := "kubectl annotate hub -n " + h.ns + " database-per-node " + v1alpha1.AnnotationApproveDeletions + "=" + shown
	if shown == "" || !strings.Contains(msg, cmd) || !strings.Contains(msg, "NodeDatabase/tenant-00, NodeDatabase/tenant-01, NodeDatabase/tenant-02") {
		t.Fatalf("the pause must name the batch, its id and the command %q, got %q", cmd, msg)
	}

	h.db.Exec(t, `UPDATE nodes SET is_active = NOT is_active WHERE node_id IN
		('tenant-00', 'tenant-01', 'tenant-02', 'tenant-03', 'tenant-04', 'tenant-05')`)
	h.approve(shown)
	h.sync()
	if got := len(h.claims()); got != 10 {
		t.Errorf("an approval of another batch deleted claims: want 10, got %d", got)
	}
	if _, ok := h.approval(); ok || !h.rec.has(hubsync.ReasonApprovalRejected, shown, "does not match the held batch") {
		t.Errorf("an approval of another batch must be removed with an event saying why")
	}
	held := h.getHub().Status.PendingDeletionBatch
	if held == "" || held == shown {
		t.Fatalf("the changed batch must have a new id, got %q (was %q)", held, shown)
	}

	h.approve(held)
	if got := h.sync(); got != 3 {
		t.Errorf("the approved batch: want 3 deletions, got %d claim writes", got)
	}
	claims := h.claims()
	for _, gone := range []string{"tenant-03", "tenant-04", "tenant-05"} {
		if _, ok := claims[gone]; ok {
			t.Errorf("approved batch: %s should be deleted", gone)
		}
	}
	if len(claims) != 7 {
		t.Errorf("approved batch: want 7 claims, got %d", len(claims))
	}
	if _, ok := h.approval(); ok {
		t.Errorf("a used approval must be removed")
	}
	if s, _ := h.condition(v1alpha1.TypeDeletionsPaused); s != "False/NoneHeld" {
		t.Errorf("after the approved batch: want DeletionsPaused False/NoneHeld, got %s", s)
	}
}
