package hubsync_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	xperrors "github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
	"github.com/rowplane/rowplane/provider/source"
	"github.com/rowplane/rowplane/provider/source/tlsmode"
)

// wantEvent is an event of reason whose message contains every substring.
type wantEvent struct {
	reason event.Reason
	subs   []string
}

// syncResult is what a sync leaves behind that a user can see.
type syncResult struct {
	Claims   []string
	Synced   string
	Paused   string
	Pending  int64
	Invalid  int64
	Expired  int64
	Approval string
}

func (u *unit) result() syncResult {
	u.t.Helper()
	hub := u.getHub()
	var claims []string
	for n := range u.claims() {
		claims = append(claims, n)
	}
	sort.Strings(claims)
	cond := func(ct xpv2.ConditionType) string {
		c := hub.GetCondition(ct)
		return fmt.Sprintf("%s/%s", c.Status, c.Reason)
	}
	return syncResult{Claims: claims, Synced: cond(xpv2.TypeSynced), Paused: cond(v1alpha1.TypeDeletionsPaused),
		Pending: hub.Status.PendingDeletions, Invalid: hub.Status.InvalidRows, Expired: hub.Status.ExpiredRows,
		Approval: hub.GetAnnotations()[v1alpha1.AnnotationApproveDeletions]}
}

func rows(active bool, ids ...string) []source.Row {
	out := make([]source.Row, len(ids))
	for i, id := range ids {
		out[i] = row(id, active, "basic")
	}
	return out
}

var eight = []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"}

// TestSync drives the Hub's sync through its guards, approvals, invalid rows, expiry and read
// failures on a fake table and a fake API server, and checks what a user sees: the claims,
// the Hub's conditions and status, and its events.
func TestSync(t *testing.T) {
	t.Parallel()
	const ok, none = "True/ReconcileSuccess", "False/NoneHeld"
	cases := map[string]struct {
		reason string
		hub    func(*v1alpha1.Hub)
		// before is synced first; then rows (or readErr) is synced.
		before  []source.Row
		rows    []source.Row
		readErr error
		// approve, when set, annotates the Hub after the sync of rows and syncs rows again;
		// "held" approves the batch the Hub holds back.
		approve string
		want    syncResult
		events  []wantEvent
	}{
		"CreatesActiveRowsOnly": {
			reason: "an active row gets a claim, an inactive one none",
			rows:   []source.Row{row("a", true, "basic"), row("b", false, "basic"), row("c", "yes", "basic")},
			want:   syncResult{Claims: []string{"a", "c"}, Synced: ok, Paused: none},
			events: []wantEvent{{hubsync.ReasonCreated, []string{"row a", `"a"`}}},
		},
		"UpdatesChangedRow": {
			reason: "a changed mapped column updates the claim",
			before: []source.Row{row("a", true, "basic")},
			rows:   []source.Row{row("a", true, "pro")},
			want:   syncResult{Claims: []string{"a"}, Synced: ok, Paused: none},
			events: []wantEvent{{hubsync.ReasonUpdated, []string{"row a"}}},
		},
		"DeletesOneDeactivatedRow": {
			reason: "a single deactivated row is deleted: one deletion is never a mass deletion",
			before: rows(true, "a", "b", "c"),
			rows:   append(rows(true, "a", "b"), row("c", false, "basic")),
			want:   syncResult{Claims: []string{"a", "b"}, Synced: ok, Paused: none},
			events: []wantEvent{{hubsync.ReasonDeleted, []string{"row c is gone or inactive"}}},
		},
		"EmptyTableHeld": {
			reason: "an emptied table deletes nothing and says which batch it holds",
			before: rows(true, "a", "b", "c"),
			want:   syncResult{Claims: []string{"a", "b", "c"}, Synced: ok, Paused: "True/EmptyTable", Pending: 3},
			events: []wantEvent{{hubsync.ReasonDeletionsPaused, []string{"holding back 3 deletions", "allowEmpty"}}},
		},
		"EmptyTableAllowed": {
			reason: "allowEmpty with a full budget lets an emptied table delete",
			hub: func(h *v1alpha1.Hub) {
				h.Spec.Deletion.AllowEmpty = true
				h.Spec.Deletion.MaxPercent = ptrInt32(100)
			},
			before: rows(true, "a", "b", "c"),
			want:   syncResult{Synced: ok, Paused: none},
		},
		"AllInvalidHeld": {
			reason: "every active row invalid is an empty table by accident: held, and reported",
			before: rows(true, "a", "b"),
			rows:   rows(true, "A_BAD", "B_BAD"),
			want:   syncResult{Claims: []string{"a", "b"}, Synced: ok, Paused: "True/EmptyTable", Pending: 2, Invalid: 2},
			events: []wantEvent{{hubsync.ReasonDeletionsPaused, []string{"none of the 2 active rows is valid"}}, {hubsync.ReasonInvalidRow, []string{"A_BAD"}}},
		},
		"OverBudgetHeld": {
			reason: "3 of 8 deletions is over the default 25% budget",
			before: rows(true, eight...),
			rows:   rows(true, eight[:5]...),
			want:   syncResult{Claims: eight, Synced: ok, Paused: "True/OverDeletionBudget", Pending: 3},
			events: []wantEvent{{hubsync.ReasonDeletionsPaused, []string{"3 of 8 objects", "maxPercent=25%"}}},
		},
		"MaxPerSyncHeld": {
			reason: "maxPerSync caps even a small share",
			hub:    func(h *v1alpha1.Hub) { h.Spec.Deletion.MaxPerSync = ptrInt32(1) },
			before: rows(true, eight...),
			rows:   rows(true, eight[:6]...),
			want:   syncResult{Claims: eight, Synced: ok, Paused: "True/OverDeletionBudget", Pending: 2},
			events: []wantEvent{{hubsync.ReasonDeletionsPaused, []string{"maxPerSync=1"}}},
		},
		"ApprovedBatchDeletes": {
			reason: "approving the held batch by its id deletes exactly it, once, and removes the approval",
			before: rows(true, eight...), rows: rows(true, eight[:5]...), approve: "held",
			want:   syncResult{Claims: eight[:5], Synced: ok, Paused: none},
			events: []wantEvent{{hubsync.ReasonDeleted, []string{"row t8 is gone or inactive"}}},
		},
		"StaleApprovalRejected": {
			reason: "an approval naming another batch deletes nothing and is removed",
			before: rows(true, eight...), rows: rows(true, eight[:5]...), approve: "abcdef0123",
			want:   syncResult{Claims: eight, Synced: ok, Paused: "True/OverDeletionBudget", Pending: 3},
			events: []wantEvent{{hubsync.ReasonApprovalRejected, []string{"abcdef0123", "does not match the held batch"}}},
		},
		"CountApprovalRejected": {
			reason: "a count approves nothing",
			before: rows(true, eight...), rows: rows(true, eight[:5]...), approve: "3",
			want:   syncResult{Claims: eight, Synced: ok, Paused: "True/OverDeletionBudget", Pending: 3},
			events: []wantEvent{{hubsync.ReasonApprovalRejected, []string{"is a count"}}},
		},
		"InvalidRowsReportedAndKept": {
			reason: "NULL, duplicate (both rows) and unnamable uids are reported; a duplicated row's claim is left alone",
			before: rows(true, "a", "b"),
			rows: []source.Row{row("a", true, "pro"), row("a", true, "basic"), row("b", true, "basic"),
				{"node_id": nil, "is_active": true}, row("Not_A_Name", true, "basic")},
			want: syncResult{Claims: []string{"a", "b"}, Synced: ok, Paused: none, Invalid: 4},
			events: []wantEvent{{hubsync.ReasonInvalidRow, []string{"row a", "appears in 2 rows"}},
				{hubsync.ReasonInvalidRow, []string{"is NULL"}}, {hubsync.ReasonInvalidRow, []string{"Not_A_Name"}}},
		},
		"ExpiredRowDeleted": {
			reason: "a row past its expiry counts as inactive and its claim is deleted, saying so",
			hub:    func(h *v1alpha1.Hub) { h.Spec.ValueMappings.ExpiresAt = "expires_at" },
			before: []source.Row{expiring("a", nil), expiring("b", nil), expiring("c", "2027-01-01T00:00:00Z")},
			rows:   []source.Row{expiring("a", nil), expiring("b", "2026-01-01T00:00:00Z"), expiring("c", "2027-01-01T00:00:00Z")},
			want:   syncResult{Claims: []string{"a", "c"}, Synced: ok, Paused: none, Expired: 1},
			events: []wantEvent{{hubsync.ReasonDeleted, []string{"row b expired at 2026-01-01T00:00:00Z"}}},
		},
		"UnparsableExpiryKept": {
			reason: "an unparsable expiry makes the row invalid and leaves its claim",
			hub:    func(h *v1alpha1.Hub) { h.Spec.ValueMappings.ExpiresAt = "expires_at" },
			before: []source.Row{expiring("a", nil), expiring("b", nil)},
			rows:   []source.Row{expiring("a", nil), expiring("b", "next tuesday")},
			want:   syncResult{Claims: []string{"a", "b"}, Synced: ok, Paused: none, Invalid: 1},
			events: []wantEvent{{hubsync.ReasonInvalidRow, []string{"row b", "expires_at"}}},
		},
		"ReadFailureChangesNothing": {
			reason:  "a failed read neither creates nor deletes, and says so",
			before:  rows(true, "a", "b"),
			readErr: errors.New("connection refused"),
			want:    syncResult{Claims: []string{"a", "b"}, Synced: "False/ReconcileError", Paused: none},
			events:  []wantEvent{{hubsync.ReasonQueryFailed, []string{"read table nodes", "connection refused", "nothing was created, updated or deleted"}}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := newUnit(t, tc.hub, nil)
			if tc.before != nil {
				u.sync(nil, tc.before...)
			}
			u.sync(tc.readErr, tc.rows...)
			if tc.approve != "" {
				batch := tc.approve
				if batch == "held" {
					batch = u.getHub().Status.PendingDeletionBatch
				}
				u.approve(batch)
				u.sync(tc.readErr, tc.rows...)
			}
			if diff := cmp.Diff(tc.want, u.result()); diff != "" {
				t.Errorf("%s: (-want +got):\n%s", tc.reason, diff)
			}
			for _, e := range tc.events {
				if !u.rec.has(e.reason, e.subs...) {
					t.Errorf("%s: want a %s event containing %q; got %v", tc.reason, e.reason, e.subs, u.rec.events)
				}
			}
		})
	}
}

func expiring(id string, at any) source.Row {
	r := row(id, true, "basic")
	r["expires_at"] = at
	return r
}

func ptrInt32(v int32) *int32 { return &v }

// TestSyncConnection proves the engine a ProviderConfig names picks the source and its default
// port, and that an engine stored past the CRD's enum is a configuration error that reads
// nothing, rather than a read of MySQL.
func TestSyncConnection(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason     string
		pc         func(*v1alpha1.ProviderConfig)
		wantOpened []source.Connection
		wantSynced string
		event      wantEvent
	}{
		"DefaultIsMySQL": {
			reason:     "no engine is MySQL on 3306",
			wantOpened: []source.Connection{conn(source.EngineMySQL, 3306)},
			wantSynced: "True/ReconcileSuccess",
		},
		"Postgres": {
			reason:     "engine postgres opens a PostgreSQL source on 5432",
			pc:         func(pc *v1alpha1.ProviderConfig) { pc.Spec.Engine = v1alpha1.EnginePostgres },
			wantOpened: []source.Connection{conn(source.EnginePostgres, 5432)},
			wantSynced: "True/ReconcileSuccess",
		},
		"UnknownEngine": {
			reason:     "an unknown engine opens nothing and names the field",
			pc:         func(pc *v1alpha1.ProviderConfig) { pc.Spec.Engine = "oracle" },
			wantSynced: "False/ConfigurationError",
			event:      wantEvent{hubsync.ReasonConfigError, []string{"ProviderConfig/team-a/default", `spec.engine: "oracle"`}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := newUnit(t, nil, tc.pc)
			u.sync(nil, row("a", true, "basic"))
			if diff := cmp.Diff(tc.wantOpened, u.src.opened); diff != "" {
				t.Errorf("%s: opened (-want +got):\n%s", tc.reason, diff)
			}
			if got := u.result().Synced; got != tc.wantSynced {
				t.Errorf("%s: Synced want %s, got %s", tc.reason, tc.wantSynced, got)
			}
			if tc.event.reason != "" && !u.rec.has(tc.event.reason, tc.event.subs...) {
				t.Errorf("%s: want a %s event containing %q; got %v", tc.reason, tc.event.reason, tc.event.subs, u.rec.events)
			}
		})
	}
}

// conn is the Connection the unit's ProviderConfig resolves to.
func conn(engine string, port int) source.Connection {
	return source.Connection{Engine: engine, Host: "db.example", Port: port, Database: "tenants", User: "reader", Password: "s3cret",
		TLS: tlsmode.TLS{Mode: tlsmode.Preferred}, Timeout: 10 * time.Second}
}

// TestSyncTracksUsage proves a sync records its ProviderConfig in a usage the Hub controls, so
// the config cannot be deleted from under it.
func TestSyncTracksUsage(t *testing.T) {
	t.Parallel()
	u := newUnit(t, nil, nil)
	u.sync(nil, row("a", true, "basic"))
	l := &v1alpha1.ProviderConfigUsageList{}
	if err := u.c.List(u.ctx, l, client.InNamespace(unitNS)); err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 1 {
		t.Fatalf("want one ProviderConfigUsage, got %d", len(l.Items))
	}
	pcu := l.Items[0]
	want := xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "default"}
	if pcu.Name != "hub-uid-1" || pcu.ProviderConfigReference != want || pcu.ResourceReference.Kind != v1alpha1.HubKind ||
		len(pcu.OwnerReferences) != 1 || pcu.OwnerReferences[0].UID != "hub-uid-1" {
		t.Errorf("usage: want %s named after and controlled by the Hub, got %+v", want, pcu)
	}
}

// TestStatusConflictRequeues proves a status write that loses a race is reported as a
// conflict, which the controller's errors.WithSilentRequeueOnConflict turns into a quiet
// requeue rather than an error in the logs.
func TestStatusConflictRequeues(t *testing.T) {
	t.Parallel()
	u := newUnit(t, nil, nil, interceptor.Funcs{
		SubResourceUpdate: func(_ context.Context, _ client.Client, _ string, o client.Object, _ ...client.SubResourceUpdateOption) error {
			return kerrors.NewConflict(v1alpha1.SchemeGroupVersion.WithResource("hubs").GroupResource(), o.GetName(), errors.New("changed"))
		},
	})
	u.src.set(nil, row("a", true, "basic"))
	r := xperrors.WithSilentRequeueOnConflict(u.r)
	res, err := r.Reconcile(u.ctx, reconcile.Request{NamespacedName: u.hub})
	if err != nil || !res.Requeue { //nolint:staticcheck // Requeue is what the library sets.
		t.Errorf("a status conflict: want a silent requeue, got %+v, %v", res, err)
	}
}
