package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-logr/logr"
	"github.com/pkg/errors"
	"github.com/sirupsen/logrus"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/stack"
	"github.com/rowplane/rowplane/internal/devstack/standin"
)

// bootSteps is the number of numbered setup steps boot prints.
const bootSteps = 7

// A demo is the running stack and what the scenario steps need.
type demo struct {
	ctx     context.Context
	out     io.Writer
	root    string
	cp      *controlplane.ControlPlane
	c       client.Client
	table   *nodesTable
	rds     *standin.RDS
	timings *timings
	// active is whether each tenant's row is active, as the demo last wrote it.
	active map[string]bool
}

// stateEntries are what a previous run's control plane left in the working directory.
var stateEntries = []string{"logs", "crossplane", "certs", "kubeconfig", "bin/function-rowplane", "bin/provider-rowplane"}

// boot brings up the database, the control plane, both packages and the example, printing one
// numbered line per step. The returned stop undoes whatever was started, also on error.
func boot(ctx context.Context, cfg config, root string, out io.Writer) (_ *demo, stop func(), err error) {
	var undo []func()
	var once sync.Once
	// stop runs once however many of boot's and the caller's cleanup paths call it.
	stop = func() {
		once.Do(func() {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		})
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	logFile, err := prepareDir(cfg.dir)
	if err != nil {
		return nil, stop, err
	}
	undo = append(undo, func() { _ = logFile.Close() })
	log := slog.New(slog.NewTextHandler(logFile, nil))
	// Libraries log through their own global loggers; keep them off the screen too.
	ctrllog.SetLogger(logr.FromSlogHandler(log.Handler()))
	logrus.SetOutput(logFile)

	tools, err := findTools(ctx, root, cfg)
	if err != nil {
		return nil, stop, err
	}
	d := &demo{ctx: ctx, out: out, root: root, timings: &timings{}, active: map[string]bool{}}
	p := &progress{w: out, total: bootSteps}

	var notes []string
	label := "starting the embedded database and creating table nodes"
	switch {
	case cfg.dsn != "" && cfg.pgDSN != "":
		return nil, stop, errors.New("set MYSQL_DSN or PG_DSN, not both")
	case cfg.dsn != "":
		label = "connecting to the database of MYSQL_DSN"
	case cfg.pgDSN != "":
		label = "connecting to the database of PG_DSN"
	}
	err = p.step(label, func() error {
		switch {
		case cfg.dsn != "":
			d.table, notes, err = openExternal(ctx, root, cfg.dsn, cfg.reset)
		case cfg.pgDSN != "":
			d.table, notes, err = openPostgres(ctx, root, cfg.pgDSN, cfg.reset)
		default:
			d.table, err = openEmbedded(ctx, root)
		}
		return err
	})
	if err != nil {
		return nil, stop, err
	}
	undo = append(undo, d.table.close)
	p.note("%s", d.table.about)
	for _, n := range notes {
		p.note("%s", n)
	}

	err = p.step("starting etcd + kube-apiserver + kube-controller-manager + Crossplane core v2.2.1", func() error {
		d.cp, err = controlplane.Start(ctx, controlplane.Options{Dir: cfg.dir, KubeAssets: tools.kubeAssets,
			CrossplaneCore: tools.core, CrossplaneCLI: tools.cli, CrossplaneCRDs: tools.crds, Log: log})
		return err
	})
	if err != nil {
		return nil, stop, err
	}
	undo = append(undo, d.cp.Stop)
	d.c = d.cp.Client
	p.note("no Docker, no kind: each is a process on a free loopback port, logs in %s", d.cp.LogDir())

	if err := d.install(p, tools.pkgs); err != nil {
		return nil, stop, err
	}
	standIns, cancel := context.WithCancel(ctx)
	undo = append(undo, cancel)
	if err := d.applyExample(p, standIns); err != nil {
		return nil, stop, err
	}
	return d, stop, nil
}

// install installs both packages from their .xpkg files with the crossplane CLI.
func (d *demo) install(p *progress, pkgs stack.Packages) error {
	pkgs.ProviderArgs = []string{"--debug"}
	var fn, prov *controlplane.Runtime
	err := p.step("installing function-rowplane (crossplane xpkg install)", func() (err error) {
		fn, err = stack.InstallFunction(d.ctx, d.cp, pkgs)
		return err
	})
	if err != nil {
		return err
	}
	p.note("%s", fn.Ref)
	err = p.step("installing provider-rowplane (RBAC from package/install/provider, then crossplane xpkg install)", func() (err error) {
		prov, err = stack.InstallProvider(d.ctx, d.cp, d.root, pkgs)
		return err
	})
	if err != nil {
		return err
	}
	p.note("%s", prov.Ref)
	p.note("no kubelet: the package runtimes run as local processes (Crossplane's External runtime)")
	return nil
}

// applyExample applies the example and starts the stand-ins, which run until standIns ends.
func (d *demo) applyExample(p *progress, standIns context.Context) error {
	err := p.step("applying the XRD and Composition of "+stack.ExampleDir, func() error {
		return stack.ApplyComposition(d.ctx, d.cp, d.root)
	})
	if err != nil {
		return err
	}
	_ = p.step("starting the stand-ins", func() error {
		d.rds = stack.StartStandIns(standIns, d.c)
		return nil
	})
	p.note("stand-in: RDSInstance marked Ready after %s — no AWS here", stack.RDSReadyAfter)
	p.note("stand-in: Deployment status written by the demo — no kubelet here")
	err = p.step("applying the ProviderConfig, its credentials Secret and the Hub", func() error {
		if d.table.postgres {
			return applyPostgresHub(d.ctx, d.c, d.root, d.table.conn)
		}
		return stack.ApplyHub(d.ctx, d.c, d.root, d.table.conn)
	})
	if err != nil {
		return err
	}
	if d.table.postgres {
		p.note("Hub %s/%s as %s/hub.yaml ships: it reads everything every 5m, and the table's trigger NOTIFYs it of each change", stack.TenantsNS, stack.HubName, pgExampleDir)
		return nil
	}
	p.note("Hub %s/%s syncs every %s here (the example says 1m), so rows show up in seconds", stack.TenantsNS, stack.HubName, stack.HubSyncInterval)
	return nil
}

// prepareDir creates the working directory without a previous run's state and opens the
// demo's own log.
func prepareDir(dir string) (*os.File, error) {
	for _, e := range stateEntries {
		if err := os.RemoveAll(filepath.Join(dir, e)); err != nil {
			return nil, errors.Wrap(err, "remove the previous run's state")
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o750); err != nil {
		return nil, errors.Wrap(err, "create the log directory")
	}
	f, err := os.Create(filepath.Join(dir, "logs", "demo.log")) //nolint:gosec // our directory.
	return f, errors.Wrap(err, "create the demo's log")
}

// tools are the binaries and files the control plane needs.
type tools struct {
	kubeAssets, core, cli, crds string
	pkgs                        stack.Packages
}

// findTools locates the pinned tools (make tools builds them) and the package files.
func findTools(ctx context.Context, root string, cfg config) (tools, error) {
	var t tools
	for _, x := range []struct {
		dst       *string
		env, name string
	}{{&t.kubeAssets, "KUBEBUILDER_ASSETS", "envtest"}, {&t.core, "ROWPLANE_CROSSPLANE_CORE", "crossplane-core"}, {&t.cli, "ROWPLANE_CROSSPLANE", "crossplane"}} {
		p, err := stack.ToolPath(ctx, root, x.env, x.name)
		if err != nil {
			return t, err
		}
		if _, err := os.Stat(p); err != nil {
			return t, fmt.Errorf("no %s at %q (%s): run make tools, or make demo", x.name, p, x.env)
		}
		*x.dst = p
	}
	var err error
	if t.crds, err = stack.CrossplaneCRDs(ctx); err != nil {
		return t, err
	}
	if cfg.xpkgDir == "" {
		return t, errors.New("no package directory: run make demo, which builds the packages, or pass -xpkg-dir")
	}
	t.pkgs, err = stack.PackageFiles(cfg.xpkgDir)
	return t, err
}
