package hubsync_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

// TestRowLifecycle walks one Hub through insert, steady state, update, deactivate and delete.
func TestRowLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(nil,
		`INSERT INTO nodes VALUES
			('acme-corp', TRUE, 'db.t3.small', 50, FALSE, 'pro'),
			('globex', TRUE, 'db.m5.large', 200, TRUE, 'enterprise'),
			('initech', TRUE, 'db.t3.micro', 20, FALSE, 'basic'),
			('umbrella', TRUE, 'db.t3.micro', 30, FALSE, 'basic'),
			('hooli', TRUE, 'db.t3.micro', 40, FALSE, 'basic'),
			('sleeping', FALSE, 'db.t3.micro', 20, FALSE, 'basic')`)

	steps := []struct {
		reason     string
		sql        []string
		wantWrites int64
		want       map[string]map[string]any
	}{
		{
			reason:     "insert: every active row becomes a claim with typed values; the inactive row does not",
			wantWrites: 5,
			want: map[string]map[string]any{
				"acme-corp": spec("db.t3.small", 50, false, "pro"),
				"globex":    spec("db.m5.large", 200, true, "enterprise"),
				"initech":   spec("db.t3.micro", 20, false, "basic"),
				"umbrella":  spec("db.t3.micro", 30, false, "basic"),
				"hooli":     spec("db.t3.micro", 40, false, "basic"),
			},
		},
		{
			reason:     "steady state: nothing changed, so zero claim writes",
			wantWrites: 0,
		},
		{
			reason:     "update a column: only that claim is written",
			sql:        []string{`UPDATE nodes SET db_storage_gb = 100, db_multi_az = TRUE WHERE node_id = 'acme-corp'`},
			wantWrites: 1,
		},
		{
			reason:     "deactivate: the claim is deleted",
			sql:        []string{`UPDATE nodes SET is_active = FALSE WHERE node_id = 'initech'`},
			wantWrites: 1,
		},
		{
			reason:     "activate: a row switched on gets its claim",
			sql:        []string{`UPDATE nodes SET is_active = TRUE WHERE node_id = 'sleeping'`},
			wantWrites: 1,
		},
		{
			reason:     "delete the row: the claim is deleted",
			sql:        []string{`DELETE FROM nodes WHERE node_id = 'hooli'`},
			wantWrites: 1,
			want: map[string]map[string]any{
				"acme-corp": spec("db.t3.small", 100, true, "pro"),
				"globex":    spec("db.m5.large", 200, true, "enterprise"),
				"umbrella":  spec("db.t3.micro", 30, false, "basic"),
				"sleeping":  spec("db.t3.micro", 20, false, "basic"),
			},
		},
	}
	for _, s := range steps {
		h.db.Exec(t, s.sql...)
		if got := h.sync(); got != s.wantWrites {
			t.Errorf("%s\nclaim writes: want %d, got %d", s.reason, s.wantWrites, got)
		}
		if s.want != nil {
			if diff := cmp.Diff(s.want, h.claims()); diff != "" {
				t.Errorf("%s\nclaims: -want +got:\n%s", s.reason, diff)
			}
		}
	}

	c := h.claim("acme-corp")
	if diff := cmp.Diff(map[string]string{v1alpha1.LabelHub: "database-per-node", v1alpha1.LabelHubNamespace: h.ns}, c.GetLabels()); diff != "" {
		t.Errorf("claim labels: -want +got:\n%s", diff)
	}
	if got := c.GetAnnotations()[v1alpha1.AnnotationUID]; got != "acme-corp" {
		t.Errorf("uid annotation: want acme-corp, got %q", got)
	}
	owned := false
	for _, mf := range c.GetManagedFields() {
		owned = owned || (mf.Manager == hubsync.FieldManager && mf.Operation == "Apply")
	}
	if !owned {
		t.Errorf("claim fields should be owned by server-side apply manager %s", hubsync.FieldManager)
	}

	st := h.getHub().Status
	got := []int64{st.Rows, st.ActiveRows, st.InvalidRows, st.Desired, st.PendingDeletions}
	if diff := cmp.Diff([]int64{5, 4, 0, 4, 0}, got); diff != "" {
		t.Errorf("status rows, activeRows, invalidRows, desired, pendingDeletions: -want +got:\n%s", diff)
	}
	if s, _ := h.condition("Synced"); s != "True/ReconcileSuccess" {
		t.Errorf("Synced: want True/ReconcileSuccess, got %s", s)
	}
	if !h.rec.has(hubsync.ReasonDeleted, "hooli") || !h.rec.has(hubsync.ReasonCreated, "acme-corp") || !h.rec.has(hubsync.ReasonUpdated, "acme-corp") {
		t.Errorf("want created, updated and deleted events naming the rows")
	}
}

// TestNullColumns proves NULL leaves a field out, so the XRD's defaults apply, and that a value
// going back to NULL removes the field again.
func TestNullColumns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(nil, `INSERT INTO nodes VALUES ('nulls', TRUE, NULL, NULL, NULL, NULL)`)
	h.sync()
	if diff := cmp.Diff(map[string]map[string]any{"nulls": spec("db.t3.micro", 20, false, "basic")}, h.claims()); diff != "" {
		t.Errorf("NULL columns take the schema defaults: -want +got:\n%s", diff)
	}
	h.db.Exec(t, `UPDATE nodes SET db_instance_class = 'db.m5.large', db_storage_gb = 500 WHERE node_id = 'nulls'`)
	h.sync()
	h.db.Exec(t, `UPDATE nodes SET db_instance_class = NULL WHERE node_id = 'nulls'`)
	h.sync()
	if diff := cmp.Diff(map[string]map[string]any{"nulls": spec("db.t3.micro", 500, false, "basic")}, h.claims()); diff != "" {
		t.Errorf("a value set back to NULL returns to the default: -want +got:\n%s", diff)
	}
}
