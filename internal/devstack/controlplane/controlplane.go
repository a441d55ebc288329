// Package controlplane starts and stops a real Crossplane control plane without Docker, kind
// or a kubelet: etcd and kube-apiserver (envtest), kube-controller-manager (garbage collector
// and namespace controller) and Crossplane core out of cluster with the External package
// runtime, in whose place it installs packages from .xpkg files and runs their binaries.
//
// Every process listens on a free loopback port, logs into Options.Dir/logs, runs in its own
// process group and is stopped by Stop, which is safe to call on any failure path.
package controlplane

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/pkg/errors"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Options locate the tools and the working directory.
type Options struct {
	// Dir holds data, certificates, binaries and logs/. It must exist.
	Dir string
	// KubeAssets is envtest's binary directory: etcd, kube-apiserver, kube-controller-manager.
	KubeAssets string
	// CrossplaneCore is the Crossplane core binary (cmd/crossplane, v2.2.1).
	CrossplaneCore string
	// CrossplaneCLI is the crossplane CLI (cmd/crank, v2.2.1).
	CrossplaneCLI string
	// CrossplaneCRDs is Crossplane's cluster/crds directory of the same version.
	CrossplaneCRDs string
	// Debug runs Crossplane with debug logs.
	Debug bool
	// Log receives progress; nil discards it.
	Log *slog.Logger
}

// A ControlPlane is a running control plane.
type ControlPlane struct {
	// Kubeconfig is the path of an admin kubeconfig.
	Kubeconfig string
	// Config and Client reach the API server as admin.
	Config *rest.Config
	Client client.Client

	opts   Options
	dir    string
	logDir string
	group  *Group
	kube   *kube
	xp     *crossplane
	log    *slog.Logger
}

// Start starts the whole control plane, and on failure stops whatever it had started.
func Start(ctx context.Context, opts Options) (_ *ControlPlane, err error) {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for name, p := range map[string]string{"kube assets": opts.KubeAssets, "crossplane core": opts.CrossplaneCore,
		"crossplane CLI": opts.CrossplaneCLI, "crossplane CRDs": opts.CrossplaneCRDs} {
		if _, err := os.Stat(p); err != nil {
			return nil, errors.Wrapf(err, "%s", name)
		}
	}
	cp := &ControlPlane{opts: opts, dir: opts.Dir, logDir: filepath.Join(opts.Dir, "logs"), group: &Group{}, log: log}
	defer func() {
		if err != nil {
			cp.group.Close()
		}
	}()
	for _, d := range []string{cp.logDir, filepath.Join(opts.Dir, "bin")} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, errors.Wrapf(err, "create %s", d)
		}
	}

	t := time.Now()
	cp.kube, err = startKube(opts.KubeAssets, opts.Dir, cp.group)
	if err != nil {
		return nil, err
	}
	cp.Kubeconfig, cp.Config = cp.kube.kubeconfig, cp.kube.cfg
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, errors.Wrap(err, "scheme")
	}
	if err := extv1.AddToScheme(scheme); err != nil {
		return nil, errors.Wrap(err, "scheme")
	}
	if cp.Client, err = client.New(cp.Config, client.Options{Scheme: scheme}); err != nil {
		return nil, errors.Wrap(err, "client")
	}
	log.Info("kubernetes up", "apiserver", cp.Config.Host, "took", time.Since(t).Round(time.Millisecond))

	t = time.Now()
	if cp.xp, err = startCrossplane(ctx, cp.Client, opts, opts.Dir, cp.group); err != nil {
		return nil, err
	}
	err = Eventually(ctx, 2*time.Minute, 500*time.Millisecond, func() error {
		if ended, err := cp.xp.process.Exited(); ended {
			return errors.Errorf("crossplane exited: %v\n%s", err, cp.xp.process.Tail(3000))
		}
		var crd extv1.CustomResourceDefinition
		return cp.Client.Get(ctx, client.ObjectKey{Name: "functions.pkg.crossplane.io"}, &crd)
	})
	if err != nil {
		return nil, errors.Wrap(err, "wait for crossplane")
	}
	log.Info("crossplane up", "took", time.Since(t).Round(time.Millisecond))
	return cp, nil
}

// RestartControllerManager restarts kube-controller-manager, so its garbage collector knows
// every kind installed so far (it refreshes discovery only every 30 seconds).
func (cp *ControlPlane) RestartControllerManager() error {
	return cp.kube.restartKCM()
}

// Stop stops every process the control plane started, newest first.
func (cp *ControlPlane) Stop() { cp.group.Close() }

// Logs returns the last n bytes of every process's log.
func (cp *ControlPlane) Logs(n int64) string { return cp.group.Logs(n) }

// LogDir is where each process logs.
func (cp *ControlPlane) LogDir() string { return cp.logDir }

// Track hands a process started elsewhere (a database, a test controller) to the control
// plane's cleanup and log reports.
func (cp *ControlPlane) Track(p *Process) { cp.group.Add(p) }
