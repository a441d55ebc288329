package hubsync_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/source/postgres"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
)

// TestPostgresRestart stops a private PostgreSQL just after a change that NOTIFYs the Hub, so
// a sync is under way or about to start, and starts it again: nothing is deleted, Synced turns
// False while the server is down, the claims keep their UIDs. Then, in a second outage, a row
// inserted while no client could connect (its NOTIFY heard by nobody) still becomes a claim,
// with the 5m sync interval and the fallback probe both out of reach, through the read after
// the listener's reconnect.
func TestPostgresRestart(t *testing.T) {
	t.Parallel()
	srv := pgtest.StartServer(t)
	pg := srv.NewDatabase(t)
	h := newAPIHarness(t)
	h.createProviderConfig("default", pg.User, pg.Password,
		v1alpha1.ProviderConfigSpec{Engine: v1alpha1.EnginePostgres, Host: pg.Host, Port: int32(pg.Port), Database: pg.Name}) //nolint:gosec // test port.
	channel := "rowplane_" + pgtest.RandomHex(4)
	trigger, err := postgres.TriggerSQL("nodes", channel)
	if err != nil {
		t.Fatal(err)
	}
	pg.Exec(t, pgSeedTable, `INSERT INTO nodes (node_id) VALUES ('a'), ('b'), ('c')`, trigger)
	h.createHub(func(hub *v1alpha1.Hub) {
		hub.Spec.SyncInterval = "5m"
		// A probe this slow never stands in for the listener within the test.
		hub.Spec.ChangeDetection = &v1alpha1.ChangeDetection{Mode: v1alpha1.ChangeNotify, Channel: channel, ProbeInterval: "10m"}
	})
	startManager(t, h)
	waitFor(t, "the first sync creates a, b and c", func() bool { return len(h.claims()) == 3 })
	before := claimUIDs(t, h)

	pg.Exec(t, `UPDATE nodes SET plan_type = 'pro' WHERE node_id = 'a'`)
	srv.Stop(t)
	// A user's annotation makes the Hub sync now, while the server is down.
	hub := h.getHub()
	hub.SetAnnotations(map[string]string{"example.rowplane.io/poke": "1"})
	if err := h.c.Update(h.ctx, hub); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Synced turns False while the server is down", func() bool {
		s, _ := h.condition(xpv2.TypeSynced)
		return s == "False/ReconcileError"
	})
	if diff := cmp.Diff(before, claimUIDs(t, h)); diff != "" {
		t.Errorf("while the server is down no claim may be deleted or replaced; UIDs (-before +now):\n%s", diff)
	}

	srv.Start(t)
	waitFor(t, "Synced turns True again after the restart", func() bool {
		s, _ := h.condition(xpv2.TypeSynced)
		return s == "True/ReconcileSuccess"
	})

	// A second outage, with no failed sync to retry: only the read after the listener's
	// reconnect can find the row inserted while nobody listened.
	srv.Stop(t)
	srv.ExecOffline(t, pg.Name, `INSERT INTO nodes (node_id) VALUES ('d')`)
	srv.Start(t)
	waitFor(t, "the row inserted while the listener was away becomes a claim after the reconnect", func() bool {
		_, ok := h.claims()["d"]
		return ok
	})
	after := claimUIDs(t, h)
	for name, uid := range before {
		if after[name] != uid {
			t.Errorf("claim %s: UID %s before the restart, %q after: it must be the same object", name, uid, after[name])
		}
	}
	if got := h.claims()["a"]["planType"]; got != "pro" {
		t.Errorf("the update made just before the stop: claim a planType want pro, got %v", got)
	}
}

// claimUIDs returns the UID of every claim in h's namespace by name.
func claimUIDs(t *testing.T, h *harness) map[string]types.UID {
	t.Helper()
	l := &unstructured.UnstructuredList{}
	l.SetGroupVersionKind(claimGVK.GroupVersion().WithKind("NodeDatabaseList"))
	if err := h.c.List(h.ctx, l, client.InNamespace(h.ns)); err != nil {
		t.Fatal(err)
	}
	out := map[string]types.UID{}
	for _, o := range l.Items {
		out[o.GetName()] = o.GetUID()
	}
	return out
}

// waitFor is eventually with room for a listener's reconnect backoff (it doubles from 1s while
// the server stays away).
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	eventuallyWithin(t, 90*time.Second, what, ok)
}
