package hubsync_test

import (
	"strings"
	"testing"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

// TestDatabaseFailureChangesNothing breaks the database in the ways that happen in production
// and proves no sync deletes (or writes) a claim while it is broken.
func TestDatabaseFailureChangesNothing(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		// breakIt breaks the source after a good first sync; it may return a repair.
		breakIt func(h *harness, user string)
		want    string
	}{
		"GrantRevoked": {
			reason: "the user's SELECT grant is revoked mid-life",
			breakIt: func(h *harness, user string) {
				// MariaDB applies a database-level revoke at the next connection, so end the
				// pooled ones as a DBA (or a connection recycle) would.
				h.db.Exec(h.t, "REVOKE SELECT ON `"+h.db.Name+"`.* FROM '"+user+"'@'%'", "KILL CONNECTION USER '"+user+"'@'%'")
			},
			want: "read table nodes",
		},
		"UserDropped": {
			reason: "the user is dropped, so the connection is refused",
			breakIt: func(h *harness, user string) {
				h.db.Exec(h.t, "KILL CONNECTION USER '"+user+"'@'%'", "DROP USER '"+user+"'@'%'")
			},
			want: "read table nodes",
		},
		"TableDropped": {
			reason:  "the table is dropped: a missing table is an error, not an empty table",
			breakIt: func(h *harness, _ string) { h.db.Exec(h.t, "DROP TABLE nodes") },
			want:    "does not exist",
		},
		"ServerGone": {
			reason: "the server stops answering (a ProviderConfig pointing at a closed port)",
			breakIt: func(h *harness, _ string) {
				h.providerConfig("closed", "root", "", 1)
				hub := h.getHub()
				hub.Spec.ProviderConfigReference.Name = "closed"
				if err := h.c.Update(h.ctx, hub); err != nil {
					h.t.Fatal(err)
				}
			},
			want: "ping",
		},
		"ColumnDropped": {
			reason:  "a mapped column disappears",
			breakIt: func(h *harness, _ string) { h.db.Exec(h.t, "ALTER TABLE nodes DROP COLUMN plan_type") },
			want:    `no column "plan_type"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			user, pass := h.db.NewUser(t)
			h.providerConfig("reader", user, pass, h.db.Port)
			h.seedHub(func(hub *v1alpha1.Hub) {
				hub.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "reader"}
			}, tenRows())
			if got := h.sync(); got != 10 {
				t.Fatalf("first sync: want 10 claims written, got %d", got)
			}
			tc.breakIt(h, user)
			for range 2 {
				if got := h.sync(); got != 0 {
					t.Errorf("%s\nwant zero claim writes, got %d", tc.reason, got)
				}
			}
			if got := len(h.claims()); got != 10 {
				t.Errorf("%s\nwant all 10 claims kept, got %d", tc.reason, got)
			}
			s, msg := h.condition("Synced")
			if s != "False/ReconcileError" || !strings.Contains(msg, tc.want) {
				t.Errorf("%s\nSynced: want False/ReconcileError containing %q, got %s %q", tc.reason, tc.want, s, msg)
			}
			if st := h.getHub().Status; st.ActiveRows != 10 {
				t.Errorf("%s\nstatus keeps the last good counts: want activeRows 10, got %d", tc.reason, st.ActiveRows)
			}
			if !h.rec.has(hubsync.ReasonQueryFailed, "nothing was created, updated or deleted") {
				t.Errorf("%s\nwant a %s event", tc.reason, hubsync.ReasonQueryFailed)
			}
		})
	}
}
