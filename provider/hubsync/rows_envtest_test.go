package hubsync_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

// TestInvalidAndDuplicateRows proves bad rows are reported and skipped, an existing claim of a
// duplicated uid is left as it is, and every other row is unaffected.
func TestInvalidAndDuplicateRows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// No primary key, so the table can hold what real tables sometimes do.
	h.db.Exec(t, `CREATE TABLE nodes (node_id VARCHAR(63), is_active VARCHAR(8), db_instance_class VARCHAR(30),
		db_storage_gb VARCHAR(10), db_multi_az BOOLEAN, plan_type VARCHAR(20))`)
	h.db.Exec(t, `INSERT INTO nodes VALUES
		('good', 'yes', 'db.t3.micro', '25', 0, 'basic'),
		('twin', 'TRUE', 'db.t3.micro', '25', 0, 'basic')`)
	h.createHub(nil)
	h.sync()

	h.db.Exec(t, `INSERT INTO nodes VALUES
		('twin', '1', 'db.m5.large', '900', 1, 'pro'),
		('Not_A_Name', '1', NULL, NULL, NULL, NULL),
		(NULL, 'yes', NULL, NULL, NULL, NULL),
		('fifty', '1', NULL, 'fifty', NULL, NULL),
		('off', 'on', NULL, NULL, NULL, NULL)`,
		`UPDATE nodes SET db_storage_gb = '30' WHERE node_id = 'good'`)
	h.sync()

	want := map[string]map[string]any{
		"good": spec("db.t3.micro", 30, false, "basic"),
		"twin": spec("db.t3.micro", 25, false, "basic"),
	}
	if diff := cmp.Diff(want, h.claims()); diff != "" {
		t.Errorf("only valid rows are written and the duplicated uid's claim is untouched: -want +got:\n%s", diff)
	}
	st := h.getHub().Status
	if st.InvalidRows != 5 {
		t.Errorf("invalidRows: want 5 (two twin rows, bad name, NULL uid, not an integer), got %d: %+v", st.InvalidRows, st.InvalidRowSamples)
	}
	keys := map[string]bool{}
	for _, ir := range st.InvalidRowSamples {
		keys[ir.Key] = true
	}
	for _, k := range []string{"twin", "Not_A_Name", "row 5", "fifty"} {
		if !keys[k] {
			t.Errorf("invalidRowSamples should name %q: %+v", k, st.InvalidRowSamples)
		}
		if !h.rec.has(hubsync.ReasonInvalidRow, k) {
			t.Errorf("want an InvalidRow event naming %q", k)
		}
	}
	if st.ActiveRows != 6 {
		t.Errorf("activeRows: 'on' is not in the truthy set, want 6, got %d", st.ActiveRows)
	}
	if s, _ := h.condition("Synced"); s != "True/ReconcileSuccess" {
		t.Errorf("invalid rows do not fail the sync: Synced want True/ReconcileSuccess, got %s", s)
	}
}

// TestHubDeletion deletes a Hub with each policy.
func TestHubDeletion(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason     string
		policy     v1alpha1.DeletionPolicy
		wantClaims int
	}{
		"Delete": {reason: "policy Delete deletes the Hub's claims", policy: v1alpha1.DeletionDelete, wantClaims: 0},
		"Orphan": {reason: "policy Orphan leaves the claims without the Hub labels", policy: v1alpha1.DeletionOrphan, wantClaims: 3},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.seedHub(func(hub *v1alpha1.Hub) {
				hub.Spec.Deletion.Policy, hub.Spec.Deletion.MaxPercent = tc.policy, ptr.To[int32](100)
			},
				`INSERT INTO nodes (node_id) VALUES ('a'), ('b'), ('c')`)
			h.sync()
			if !meta.FinalizerExists(h.getHub(), hubsync.Finalizer) {
				t.Fatalf("the Hub should carry finalizer %s", hubsync.Finalizer)
			}
			if err := h.c.Delete(h.ctx, h.getHub()); err != nil {
				t.Fatal(err)
			}
			h.sync()
			if got := len(h.claims()); got != tc.wantClaims {
				t.Errorf("%s\nclaims: want %d, got %d", tc.reason, tc.wantClaims, got)
			}
			if tc.policy == v1alpha1.DeletionOrphan {
				c := h.claim("a")
				if _, ok := c.GetLabels()[v1alpha1.LabelHub]; ok {
					t.Errorf("%s\norphaned claim still has label %s", tc.reason, v1alpha1.LabelHub)
				}
				if c.GetAnnotations()[v1alpha1.AnnotationUID] != "a" {
					t.Errorf("%s\norphaned claim keeps its uid annotation as a record", tc.reason)
				}
			}
			waitGone(t, h)
		})
	}
}

func waitGone(t *testing.T, h *harness) {
	t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		hub := &v1alpha1.Hub{}
		if err := h.c.Get(ctx, h.hub, hub); err != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("the Hub should be gone once its finalizer is released")
}

// TestPausedHub proves crossplane.io/paused stops all writes.
func TestPausedHub(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(func(hub *v1alpha1.Hub) {
		hub.Annotations = map[string]string{meta.AnnotationKeyReconciliationPaused: "true"}
	}, `INSERT INTO nodes (node_id) VALUES ('a')`)
	if got := h.sync(); got != 0 {
		t.Errorf("paused: want 0 claim writes, got %d", got)
	}
	if s, _ := h.condition("Synced"); s != "False/ReconcilePaused" {
		t.Errorf("paused: Synced want False/ReconcilePaused, got %s", s)
	}
	hub := h.getHub()
	delete(hub.Annotations, meta.AnnotationKeyReconciliationPaused)
	if err := h.c.Update(h.ctx, hub); err != nil {
		t.Fatal(err)
	}
	if got := h.sync(); got != 1 {
		t.Errorf("unpaused: want 1 claim write, got %d", got)
	}
}
