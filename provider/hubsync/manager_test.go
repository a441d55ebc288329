package hubsync_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlconfig "sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/internal/template"
	"github.com/rowplane/rowplane/provider/config"
	"github.com/rowplane/rowplane/provider/hubsync"
	"github.com/rowplane/rowplane/provider/metrics"
	"github.com/rowplane/rowplane/provider/source"
)

// TestManager runs the controllers as main.go wires them: the Hub syncs on its own, and the
// ProviderConfig counts it as a user.
func TestManager(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(func(hub *v1alpha1.Hub) { hub.Spec.SyncInterval = "1s" },
		`INSERT INTO nodes (node_id) VALUES ('a'), ('b')`)

	startManager(t, h)

	eventually(t, "the manager-run Hub creates both claims", func() bool { return len(h.claims()) == 2 })
	h.db.Exec(t, `DELETE FROM nodes WHERE node_id = 'b'`)
	eventually(t, "a deleted row's claim goes within a few sync intervals", func() bool { return len(h.claims()) == 1 })
	eventually(t, "the ProviderConfig counts the Hub as a user", func() bool {
		pc := &v1alpha1.ProviderConfig{}
		return h.c.Get(h.ctx, client.ObjectKey{Namespace: h.ns, Name: "default"}, pc) == nil && pc.Status.Users == 1
	})
}

// TestChangeProbe proves a change reaches its claim long before the sync interval: with
// syncInterval 5m, only the default change probe can make an INSERT, an UPDATE and a
// deactivation show within seconds.
func TestChangeProbe(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(func(hub *v1alpha1.Hub) { hub.Spec.SyncInterval = "5m" }, `INSERT INTO nodes (node_id) VALUES ('a'), ('b')`)
	startManager(t, h)
	eventually(t, "the first sync creates both claims", func() bool { return len(h.claims()) == 2 })

	h.db.Exec(t, `INSERT INTO nodes (node_id) VALUES ('c')`)
	eventually(t, "an INSERT reaches its claim through the probe", func() bool { _, ok := h.claims()["c"]; return ok })
	h.db.Exec(t, `UPDATE nodes SET plan_type = 'pro' WHERE node_id = 'a'`)
	eventually(t, "an UPDATE reaches its claim through the probe", func() bool { return h.claims()["a"]["planType"] == "pro" })
	h.db.Exec(t, `UPDATE nodes SET is_active = FALSE WHERE node_id = 'b'`)
	eventually(t, "a deactivation deletes its claim through the probe", func() bool { _, ok := h.claims()["b"]; return !ok })
}

// startManager runs the controllers as main.go wires them, on the test's namespace only,
// until the test ends.
func startManager(t testing.TB, h *harness) {
	t.Helper()
	mgr, err := ctrl.NewManager(needAPIServer(t), ctrl.Options{
		Scheme: newScheme(t),
		// Only this test's namespace: other tests reconcile their Hubs by hand, in parallel.
		Cache:                  cache.Options{DefaultNamespaces: map[string]cache.Config{h.ns: {}}},
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		// go test -count=N runs this test N times in one process; several tests run a manager.
		Controller: ctrlconfig.Controller{SkipNameValidation: ptr.To(true)},
		Client:     client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	pool := source.NewPools()
	t.Cleanup(pool.Close)
	if err := config.Setup(mgr, logging.NewNopLogger(), pool); err != nil {
		t.Fatal(err)
	}
	if err := hubsync.Setup(mgr, hubsync.SetupOptions{Logger: logging.NewNopLogger(), Metrics: metrics.New(prometheus.NewRegistry()),
		Renderer: template.New(template.Options{}), Sources: pool, MaxConcurrentReconciles: 1, MaxReconcileRate: 10}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	eventuallyWithin(t, 20*time.Second, what, ok)
}

// eventuallyWithin polls ok until it holds and fails the test after timeout.
func eventuallyWithin(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
