//go:build e2e

// Package e2e runs rowplane end to end on a real Crossplane control plane without Docker:
// etcd, kube-apiserver, kube-controller-manager and Crossplane core v2.2.1 as processes, both
// rowplane packages installed from their .xpkg files with the crossplane CLI, and a private
// MariaDB that the suite drives, asserting only on the API server.
//
//	go test -tags e2e -count=1 -timeout 15m ./test/e2e/...
package e2e

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/mariadb"
	"github.com/rowplane/rowplane/internal/devstack/stack"
	"github.com/rowplane/rowplane/internal/devstack/standin"
	"github.com/rowplane/rowplane/internal/devstack/tool"
)

// suiteTimeout bounds the whole run, below go test's own -timeout, so that cleanup always runs.
const suiteTimeout = 12 * time.Minute

// A suite is one control plane, one MariaDB and the stand-ins, shared by the scenarios, which
// run in order.
type suite struct {
	ctx      context.Context
	cp       *controlplane.ControlPlane
	c        client.Client
	db       *mariadb.Server
	rds      *standin.RDS
	function *controlplane.Runtime
	provider *controlplane.Runtime
	tenants  *tenantDB
	timings  *timings
}

func TestE2E(t *testing.T) {
	// The stand-ins use controller-runtime clients, which otherwise complain (with a stack
	// trace) that no logger was set when the API server sends a warning.
	ctrllog.SetLogger(logr.Discard())
	started := time.Now()
	s := setUp(t)
	t.Logf("control plane, packages and example ready in %s", time.Since(started).Round(100*time.Millisecond))

	for _, sc := range scenarios() {
		// A failed scenario fails the suite, but the next ones still run: most failures are
		// one assertion, and the scenarios after it wait for the state they need.
		t.Run(sc.name, func(t *testing.T) { sc.run(t, s) })
	}
	s.timings.report(t)
	t.Logf("suite took %s", time.Since(started).Round(100*time.Millisecond))
}

// setUp starts everything, and registers the one cleanup path that stops it, pass or fail,
// on a signal too.
func setUp(t *testing.T) *suite {
	t.Helper()
	kubeAssets := tool.Require(t, "KUBEBUILDER_ASSETS", "envtest")
	core := tool.Require(t, "ROWPLANE_CROSSPLANE_CORE", "crossplane-core")
	cli := tool.Require(t, "ROWPLANE_CROSSPLANE", "crossplane")
	crds := crossplaneCRDs(t)
	pkgs := xpkgs(t)
	pkgs.ProviderArgs = []string{"--debug"}

	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	s := &suite{ctx: ctx, timings: &timings{}}

	var cp *controlplane.ControlPlane
	var db *mariadb.Server
	stop := func() {
		cancel()
		if cp != nil {
			cp.Stop()
		}
		if db != nil {
			db.Stop()
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-sig; ok {
			stop()
			os.Exit(1)
		}
	}()
	t.Cleanup(func() {
		if t.Failed() && cp != nil {
			t.Logf("logs in %s; their tails:%s", cp.LogDir(), cp.Logs(6000))
		}
		signal.Stop(sig)
		close(sig)
		stop()
	})

	var err error
	cp, err = controlplane.Start(ctx, controlplane.Options{
		Dir: dir, KubeAssets: kubeAssets, CrossplaneCore: core, CrossplaneCLI: cli, CrossplaneCRDs: crds, Log: log,
	})
	if err != nil {
		t.Fatalf("start control plane: %v", err)
	}
	s.cp, s.c = cp, cp.Client

	db, err = mariadb.Start(ctx, filepath.Join(dir, "mariadb"), cp.LogDir(), cp.Track)
	if err != nil {
		if err == mariadb.ErrNotInstalled {
			unavailable(t, "%v", err)
		}
		t.Fatalf("start MariaDB: %v", err)
	}
	s.db = db

	t0 := time.Now()
	if s.function, err = stack.InstallFunction(ctx, cp, pkgs); err != nil {
		t.Fatal(err)
	}
	if s.provider, err = stack.InstallProvider(ctx, cp, repoRoot(t), pkgs); err != nil {
		t.Fatal(err)
	}
	t.Logf("packages installed and healthy in %s: %s, %s", time.Since(t0).Round(100*time.Millisecond), s.function.Ref, s.provider.Ref)
	reportPackageObjects(t, s)

	s.applyExample(t)
	return s
}

// testWriter sends log lines to t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}
