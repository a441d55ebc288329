package hubsync_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
	"github.com/rowplane/rowplane/provider/source/postgres"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
)

// pgSeedTable is the seed table on PostgreSQL. The surrogate key lets a test store the NULL
// and duplicate uids a careless table holds.
const pgSeedTable = `CREATE TABLE nodes (
	id serial PRIMARY KEY,
	node_id varchar(63),
	is_active boolean DEFAULT true,
	db_instance_class varchar(30) DEFAULT 'db.t3.micro',
	db_storage_gb int DEFAULT 20,
	db_multi_az boolean DEFAULT false,
	plan_type varchar(20) DEFAULT 'basic'
)`

// newPGHarness is newHarness on a private PostgreSQL database, reached through a ProviderConfig
// with engine postgres and no port (so the engine's default port, when the server uses it).
func newPGHarness(t testing.TB, mutate func(*v1alpha1.Hub), rows ...string) (*harness, *pgtest.Database) {
	t.Helper()
	h := newAPIHarness(t)
	pg := pgtest.New(t)
	spec := v1alpha1.ProviderConfigSpec{Engine: v1alpha1.EnginePostgres, Host: pg.Host, Database: pg.Name}
	if pg.Port != 5432 {
		spec.Port = int32(pg.Port) //nolint:gosec // test port.
	}
	h.createProviderConfig("default", pg.User, pg.Password, spec)
	pg.Exec(t, pgSeedTable)
	pg.Exec(t, rows...)
	h.createHub(mutate)
	return h, pg
}

// TestPostgresLifecycle proves a Hub on a PostgreSQL table follows it like a MySQL one: an
// insert creates a claim with typed values, an update updates it, a deactivation deletes it.
func TestPostgresLifecycle(t *testing.T) {
	t.Parallel()
	h, pg := newPGHarness(t, nil, `INSERT INTO nodes (node_id) VALUES ('a'), ('b'), ('c')`)
	h.sync()
	basic := spec("db.t3.micro", 20, false, "basic")
	if diff := cmp.Diff(map[string]map[string]any{"a": basic, "b": basic, "c": basic}, h.claims()); diff != "" {
		t.Errorf("insert: claims (-want +got):\n%s", diff)
	}

	pg.Exec(t, `INSERT INTO nodes (node_id, db_storage_gb, db_multi_az, plan_type) VALUES ('d', 100, true, 'pro')`,
		`UPDATE nodes SET plan_type = 'pro', db_storage_gb = 50 WHERE node_id = 'a'`)
	h.sync()
	if diff := cmp.Diff(map[string]map[string]any{
		"a": spec("db.t3.micro", 50, false, "pro"), "b": basic, "c": basic, "d": spec("db.t3.micro", 100, true, "pro"),
	}, h.claims()); diff != "" {
		t.Errorf("insert and update: claims (-want +got):\n%s", diff)
	}

	pg.Exec(t, `UPDATE nodes SET is_active = false WHERE node_id = 'b'`)
	h.sync()
	if _, ok := h.claims()["b"]; ok {
		t.Errorf("deactivate: claim b must be deleted")
	}
	if !h.rec.has(hubsync.ReasonDeleted, "row b is gone or inactive") {
		t.Errorf("deactivate: want a DeletedObject event for row b; got %v", h.rec.events)
	}
	if s, _ := h.condition(xpv2.TypeSynced); s != "True/ReconcileSuccess" {
		t.Errorf("Synced: want True/ReconcileSuccess, got %s", s)
	}
}

// TestPostgresSafety proves the deletion guards and row checks hold on PostgreSQL as on MySQL:
// an emptied table and an unreachable server delete nothing, and bad uids are reported.
func TestPostgresSafety(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		// change breaks the table or its connection after a first sync of a, b and c.
		change     func(h *harness, pg *pgtest.Database)
		wantClaims int
		wantSynced string
		wantEvent  wantEvent
		wantPaused string
		wantBad    int64
	}{
		"EmptyTableHeld": {
			reason:     "an emptied table deletes nothing",
			change:     func(h *harness, pg *pgtest.Database) { pg.Exec(h.t, `DELETE FROM nodes`) },
			wantClaims: 3, wantSynced: "True/ReconcileSuccess", wantPaused: "True/EmptyTable",
			wantEvent: wantEvent{hubsync.ReasonDeletionsPaused, []string{"holding back 3 deletions"}},
		},
		"InvalidUIDsReported": {
			reason: "NULL, duplicate and unnamable uids are reported and their rows skipped",
			change: func(h *harness, pg *pgtest.Database) {
				pg.Exec(h.t, `INSERT INTO nodes (node_id) VALUES (NULL), ('a'), ('Not_A_Name')`)
			},
			wantClaims: 3, wantSynced: "True/ReconcileSuccess", wantPaused: "False/NoneHeld", wantBad: 4,
			wantEvent: wantEvent{hubsync.ReasonInvalidRow, []string{"row a", "appears in 2 rows"}},
		},
		"ServerUnreachable": {
			reason: "a server that does not answer is a failed read: nothing is deleted",
			change: func(h *harness, pg *pgtest.Database) {
				h.createProviderConfig("closed", pg.User, pg.Password,
					v1alpha1.ProviderConfigSpec{Engine: v1alpha1.EnginePostgres, Host: pg.Host, Port: 1, Database: pg.Name})
				hub := h.getHub()
				hub.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "closed"}
				if err := h.c.Update(h.ctx, hub); err != nil {
					h.t.Fatal(err)
				}
			},
			wantClaims: 3, wantSynced: "False/ReconcileError", wantPaused: "False/NoneHeld",
			wantEvent: wantEvent{hubsync.ReasonQueryFailed, []string{"read table nodes", "nothing was created, updated or deleted"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, pg := newPGHarness(t, nil, `INSERT INTO nodes (node_id) VALUES ('a'), ('b'), ('c')`)
			h.sync()
			tc.change(h, pg)
			h.sync()
			if got := len(h.claims()); got != tc.wantClaims {
				t.Errorf("%s: want %d claims, got %d", tc.reason, tc.wantClaims, got)
			}
			if s, msg := h.condition(xpv2.TypeSynced); s != tc.wantSynced {
				t.Errorf("%s: Synced want %s, got %s %q", tc.reason, tc.wantSynced, s, msg)
			}
			if s, _ := h.condition(v1alpha1.TypeDeletionsPaused); s != tc.wantPaused {
				t.Errorf("%s: DeletionsPaused want %s, got %s", tc.reason, tc.wantPaused, s)
			}
			if got := h.getHub().Status.InvalidRows; got != tc.wantBad {
				t.Errorf("%s: invalidRows want %d, got %d", tc.reason, tc.wantBad, got)
			}
			if !h.rec.has(tc.wantEvent.reason, tc.wantEvent.subs...) {
				t.Errorf("%s: want a %s event containing %q; got %v", tc.reason, tc.wantEvent.reason, tc.wantEvent.subs, h.rec.events)
			}
		})
	}
}

// TestPostgresNotify proves a Hub in mode Notify picks up changes through LISTEN/NOTIFY and the
// documented trigger long before its 5m sync interval.
func TestPostgresNotify(t *testing.T) {
	t.Parallel()
	channel := "rowplane_" + pgtest.RandomHex(4)
	h, pg := newPGHarness(t, func(hub *v1alpha1.Hub) {
		hub.Spec.SyncInterval = "5m"
		hub.Spec.ChangeDetection = &v1alpha1.ChangeDetection{Mode: v1alpha1.ChangeNotify, Channel: channel}
	}, `INSERT INTO nodes (node_id) VALUES ('a'), ('b')`)
	trigger, err := postgres.TriggerSQL("nodes", channel)
	if err != nil {
		t.Fatal(err)
	}
	pg.Exec(t, trigger)
	startManager(t, h)
	eventually(t, "the first sync creates both claims", func() bool { return len(h.claims()) == 2 })

	pg.Exec(t, `INSERT INTO nodes (node_id) VALUES ('c')`)
	eventually(t, "an INSERT reaches its claim through NOTIFY", func() bool { _, ok := h.claims()["c"]; return ok })
	pg.Exec(t, `UPDATE nodes SET plan_type = 'pro' WHERE node_id = 'a'`)
	eventually(t, "an UPDATE reaches its claim through NOTIFY", func() bool { return h.claims()["a"]["planType"] == "pro" })
	pg.Exec(t, `UPDATE nodes SET is_active = false WHERE node_id = 'b'`)
	eventually(t, "a deactivation deletes its claim through NOTIFY", func() bool { _, ok := h.claims()["b"]; return !ok })
}
