package hubsync_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

// clock is a settable clock for the reconciler, so expiry is driven without waiting.
type clock struct{ unixNano atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) now() time.Time  { return time.Unix(0, c.unixNano.Load()).UTC() }
func (c *clock) set(t time.Time) { c.unixNano.Store(t.UnixNano()) }

// syncAfter runs one reconcile and returns when it asks to run again.
func (h *harness) syncAfter() time.Duration {
	h.t.Helper()
	res, err := h.r.Reconcile(h.ctx, reconcile.Request{NamespacedName: h.hub})
	if err != nil {
		h.t.Fatalf("Reconcile: %v", err)
	}
	return res.RequeueAfter
}

// expiringHub adds an expires_at column of columnType to the seed table and maps it.
func (h *harness) expiringHub(columnType string, mutate func(*v1alpha1.Hub)) {
	h.t.Helper()
	h.db.Exec(h.t, seedTable, `ALTER TABLE nodes ADD expires_at `+columnType+` NULL`)
	h.createHub(func(hub *v1alpha1.Hub) {
		hub.Spec.ValueMappings.ExpiresAt = "expires_at"
		if mutate != nil {
			mutate(hub)
		}
	})
}

// TestExpiringRows walks rows with an expiry in the past, a few seconds ahead, NULL and
// unparsable through syncs on a driven clock, for each kind of column an expiry can live in.
func TestExpiringRows(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		reason     string
		columnType string
		format     string
		// unparsable is a value the column accepts that is no expiry.
		unparsable string
	}{
		"DATETIME":  {reason: "DATETIME is read as UTC; the zero date is no expiry", columnType: "DATETIME", format: time.DateTime, unparsable: "0000-00-00 00:00:00"},
		"TIMESTAMP": {reason: "TIMESTAMP is read in UTC; the zero date is no expiry", columnType: "TIMESTAMP", format: time.DateTime, unparsable: "0000-00-00 00:00:00"},
		"VARCHAR":   {reason: "a string holds RFC 3339; free text is no expiry", columnType: "VARCHAR(40)", format: time.RFC3339, unparsable: "next friday"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clk := newClock(t0)
			h := newHarness(t, hubsync.WithClock(clk.now))
			h.expiringHub(tc.columnType, nil)
			at := func(d time.Duration) string { return "'" + t0.Add(d).Format(tc.format) + "'" }
			h.db.Exec(t, fmt.Sprintf(`INSERT INTO nodes (node_id, expires_at) VALUES
				('past', %s), ('soon', %s), ('never', NULL), ('typo', %s)`, at(-time.Hour), at(5*time.Second), at(24*time.Hour)))

			if got := h.syncAfter(); got != 5*time.Second {
				t.Errorf("%s\nthe next expiry is 5s away, before the 30s tick: requeue want 5s, got %s", tc.reason, got)
			}
			want := map[string]map[string]any{
				"soon":  spec("db.t3.micro", 20, false, "basic"),
				"never": spec("db.t3.micro", 20, false, "basic"),
				"typo":  spec("db.t3.micro", 20, false, "basic"),
			}
			if diff := cmp.Diff(want, h.claims()); diff != "" {
				t.Errorf("%s\nthe row past its expiry gets no claim, the others do: -want +got:\n%s", tc.reason, diff)
			}
			st := h.getHub().Status
			if diff := cmp.Diff([]int64{4, 3, 1, 0}, []int64{st.Rows, st.ActiveRows, st.ExpiredRows, st.InvalidRows}); diff != "" {
				t.Errorf("%s\nrows, activeRows, expiredRows, invalidRows: -want +got:\n%s", tc.reason, diff)
			}

			h.db.Exec(t, `UPDATE nodes SET expires_at = '`+tc.unparsable+`', plan_type = 'pro' WHERE node_id = 'typo'`)
			clk.set(t0.Add(5 * time.Second))
			if got := h.syncAfter(); got != 30*time.Second {
				t.Errorf("%s\nno expiry ahead: requeue want the 30s interval, got %s", tc.reason, got)
			}
			delete(want, "soon")
			if diff := cmp.Diff(want, h.claims()); diff != "" {
				t.Errorf("%s\nat its expiry 'soon' is deleted; 'typo' keeps its claim unchanged: -want +got:\n%s", tc.reason, diff)
			}
			st = h.getHub().Status
			if diff := cmp.Diff([]int64{4, 2, 2, 1}, []int64{st.Rows, st.ActiveRows, st.ExpiredRows, st.InvalidRows}); diff != "" {
				t.Errorf("%s\nrows, activeRows, expiredRows, invalidRows: -want +got:\n%s", tc.reason, diff)
			}
			if len(st.InvalidRowSamples) != 1 || st.InvalidRowSamples[0].Key != "typo" || !strings.Contains(st.InvalidRowSamples[0].Reason, "expiresAt column expires_at") {
				t.Errorf("%s\ninvalidRowSamples should name typo and its expiresAt column: %+v", tc.reason, st.InvalidRowSamples)
			}
			if !h.rec.has(hubsync.ReasonDeleted, "row soon expired at "+t0.Add(5*time.Second).Format(time.RFC3339)) {
				t.Errorf("%s\nwant a DeletedObject event saying 'soon' expired", tc.reason)
			}
			if !h.rec.has(hubsync.ReasonInvalidRow, "row typo", "expiresAt") {
				t.Errorf("%s\nwant an InvalidRow event naming typo's expiresAt", tc.reason)
			}
			if s, _ := h.condition("Synced"); s != "True/ReconcileSuccess" {
				t.Errorf("%s\nan unparsable expiry fails its row, not the sync: Synced want True/ReconcileSuccess, got %s", tc.reason, s)
			}

			clk.set(t0.Add(365 * 24 * time.Hour))
			h.sync()
			if _, ok := h.claims()["never"]; !ok {
				t.Errorf("%s\na NULL expiry never expires: claim 'never' is gone a year on", tc.reason)
			}
		})
	}
}

// TestExpiryHonoursGuards proves expiry deletes only what the guards allow: a batch over the
// budget is held back, rows that all expired count as an empty table, and allowEmpty with a
// full budget lets them go.
func TestExpiryHonoursGuards(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	clk := newClock(t0)
	h := newHarness(t, hubsync.WithClock(clk.now))
	h.expiringHub("DATETIME", nil)
	h.db.Exec(t, `INSERT INTO nodes (node_id, expires_at) VALUES
		('a', '2030-06-01 12:01:00'), ('b', '2030-06-01 12:01:00'), ('c', '2030-06-01 12:02:00'), ('d', '2030-06-01 12:02:00')`)
	h.sync()

	steps := []struct {
		reason      string
		at          time.Duration
		mutate      func(*v1alpha1.Hub)
		wantClaims  int
		wantPaused  string
		wantPending int64
		wantExpired int64
	}{
		{reason: "two of four expiring at once is over maxPercent=25: held back", at: time.Minute,
			wantClaims: 4, wantPaused: "True/OverDeletionBudget", wantPending: 2, wantExpired: 2},
		{reason: "every row expired is an empty table: held back without allowEmpty", at: 2 * time.Minute,
			wantClaims: 4, wantPaused: "True/EmptyTable", wantPending: 4, wantExpired: 4},
		{reason: "allowEmpty with a 100% budget lets the expired rows' claims go", at: 2 * time.Minute,
			mutate: func(hub *v1alpha1.Hub) {
				hub.Spec.Deletion.AllowEmpty = true
				hub.Spec.Deletion.MaxPercent = ptr.To[int32](100)
			},
			wantClaims: 0, wantPaused: "False/NoneHeld", wantPending: 0, wantExpired: 4},
	}
	for _, s := range steps {
		if s.mutate != nil {
			hub := h.getHub()
			s.mutate(hub)
			if err := h.c.Update(h.ctx, hub); err != nil {
				t.Fatal(err)
			}
		}
		clk.set(t0.Add(s.at))
		h.sync()
		st := h.getHub().Status
		paused, _ := h.condition(v1alpha1.TypeDeletionsPaused)
		type got struct {
			Claims           int
			Paused           string
			Pending, Expired int64
		}
		want := got{s.wantClaims, s.wantPaused, s.wantPending, s.wantExpired}
		if diff := cmp.Diff(want, got{len(h.claims()), paused, st.PendingDeletions, st.ExpiredRows}); diff != "" {
			t.Errorf("%s: -want +got:\n%s", s.reason, diff)
		}
	}
}
