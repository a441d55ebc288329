package hubsync_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

func tenRows() string {
	vals := make([]string, 10)
	for i := range vals {
		vals[i] = fmt.Sprintf("('tenant-%02d', TRUE, 'db.t3.micro', 20, FALSE, 'basic')", i)
	}
	return "INSERT INTO nodes VALUES " + strings.Join(vals, ", ")
}

// TestEmptyTablePausesDeletions proves an emptied table deletes nothing, that creates still
// happen while deletions are paused, and that allowEmpty with a full budget lets it through.
func TestEmptyTablePausesDeletions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(nil, `INSERT INTO nodes (node_id) VALUES ('a'), ('b'), ('c')`)
	h.sync()

	h.db.Exec(t, `DELETE FROM nodes`)
	if got := h.sync(); got != 0 {
		t.Errorf("emptied table: want 0 claim writes, got %d", got)
	}
	if got := len(h.claims()); got != 3 {
		t.Errorf("emptied table: want all 3 claims kept, got %d", got)
	}
	if s, msg := h.condition(v1alpha1.TypeDeletionsPaused); s != "True/EmptyTable" || !strings.Contains(msg, "holding back 3 deletions") {
		t.Errorf("emptied table: DeletionsPaused want True/EmptyTable naming 3, got %s %q", s, msg)
	}
	if got := h.getHub().Status.PendingDeletions; got != 3 {
		t.Errorf("emptied table: pendingDeletions want 3, got %d", got)
	}

	h.db.Exec(t, `INSERT INTO nodes (node_id) VALUES ('d')`)
	if got := h.sync(); got != 0 {
		// 'd' is a create while 3 deletions are paused... with one active row the table is no
		// longer empty, but 3 of 4 is over the budget, so deletions stay paused.
		t.Logf("creates while paused: %d writes", got)
	}
	if _, ok := h.claims()["d"]; !ok {
		t.Errorf("paused deletions must not block creates: claim d missing")
	}
	if s, _ := h.condition(v1alpha1.TypeDeletionsPaused); s != "True/OverDeletionBudget" {
		t.Errorf("3 of 4 objects to delete: want True/OverDeletionBudget, got %s", s)
	}

	hub := h.getHub()
	hub.Spec.Deletion.AllowEmpty = true
	hub.Spec.Deletion.MaxPercent = ptr.To[int32](100)
	if err := h.c.Update(h.ctx, hub); err != nil {
		t.Fatal(err)
	}
	h.db.Exec(t, `DELETE FROM nodes`)
	h.sync()
	if got := len(h.claims()); got != 0 {
		t.Errorf("allowEmpty with a 100%% budget: want 0 claims, got %d", got)
	}
	if s, _ := h.condition(v1alpha1.TypeDeletionsPaused); s != "False/NoneHeld" {
		t.Errorf("after the deletions: want DeletionsPaused False/NoneHeld, got %s", s)
	}
}

// TestMassDeactivationNeedsApproval deactivates 40% of the rows at once.
func TestMassDeactivationNeedsApproval(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(nil, tenRows())
	h.sync()

	h.db.Exec(t,
		`UPDATE nodes SET is_active = FALSE WHERE node_id IN ('tenant-00', 'tenant-01', 'tenant-02', 'tenant-03')`,
		`UPDATE nodes SET plan_type = 'pro' WHERE node_id = 'tenant-09'`)
	if got := h.sync(); got != 1 {
		t.Errorf("40%% deactivated: want only the update written (1), got %d writes", got)
	}
	claims := h.claims()
	if len(claims) != 10 {
		t.Errorf("40%% deactivated: want 10 claims kept, got %d", len(claims))
	}
	if diff := cmp.Diff(spec("db.t3.micro", 20, false, "pro"), claims["tenant-09"]); diff != "" {
		t.Errorf("paused deletions must not block updates: -want +got:\n%s", diff)
	}
	batch := h.getHub().Status.PendingDeletionBatch
	s, msg := h.condition(v1alpha1.TypeDeletionsPaused)
	if s != "True/OverDeletionBudget" || !strings.Contains(msg, "4 of 10") || batch == "" || !strings.Contains(msg, v1alpha1.AnnotationApproveDeletions+"="+batch) {
		t.Errorf("40%% deactivated: want True/OverDeletionBudget naming 4 of 10 and the approval, got %s %q", s, msg)
	}
	if !h.rec.has(hubsync.ReasonDeletionsPaused, "holding back 4") {
		t.Errorf("want a DeletionsPaused event")
	}

	hub := h.getHub()
	hub.Annotations = map[string]string{v1alpha1.AnnotationApproveDeletions: batch}
	if err := h.c.Update(h.ctx, hub); err != nil {
		t.Fatal(err)
	}
	if got := h.sync(); got != 4 {
		t.Errorf("approved: want 4 deletions, got %d writes", got)
	}
	if got := len(h.claims()); got != 6 {
		t.Errorf("approved: want 6 claims, got %d", got)
	}
	if _, ok := h.getHub().Annotations[v1alpha1.AnnotationApproveDeletions]; ok {
		t.Errorf("the approval is one-shot and must be removed once used")
	}
	if s, _ := h.condition(v1alpha1.TypeDeletionsPaused); s != "False/NoneHeld" {
		t.Errorf("after approval: want DeletionsPaused False/NoneHeld, got %s", s)
	}
}

// TestMaxPerSync caps the count of deletions regardless of the percentage.
func TestMaxPerSync(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(func(hub *v1alpha1.Hub) {
		hub.Spec.Deletion.MaxPerSync = ptr.To[int32](1)
		hub.Spec.Deletion.MaxPercent = ptr.To[int32](100)
	}, tenRows())
	h.sync()
	h.db.Exec(t, `DELETE FROM nodes WHERE node_id IN ('tenant-00', 'tenant-01')`)
	if got := h.sync(); got != 0 {
		t.Errorf("2 deletions over maxPerSync=1: want 0 writes, got %d", got)
	}
	if s, msg := h.condition(v1alpha1.TypeDeletionsPaused); s != "True/OverDeletionBudget" || !strings.Contains(msg, "maxPerSync=1") {
		t.Errorf("want True/OverDeletionBudget naming maxPerSync, got %s %q", s, msg)
	}
}
