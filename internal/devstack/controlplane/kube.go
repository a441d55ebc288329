package controlplane

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pkg/errors"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// kcmControllers are the kube-controller-manager controllers the control plane relies on: the
// garbage collector deletes composed resources through their owner references, the namespace
// controller empties and finalizes a deleted Namespace, and the ClusterRole aggregation
// controller fills aggregated ClusterRoles such as provider-rowplane's. No kubelet runs, so
// the other controllers would have nothing to do.
const kcmControllers = "garbage-collector-controller,namespace-controller,clusterrole-aggregation-controller"

// kube is etcd and kube-apiserver (envtest) plus a kube-controller-manager.
type kube struct {
	env        *envtest.Environment
	cfg        *rest.Config
	kubeconfig string
	kcmPath    string
	logDir     string
	kcm        *Process
	group      *Group
}

// startKube starts etcd and kube-apiserver from assetsDir (envtest's layout: etcd,
// kube-apiserver and kube-controller-manager side by side) on free ports, writes an admin
// kubeconfig into dir and starts kube-controller-manager.
func startKube(assetsDir, dir string, g *Group) (*kube, error) {
	logDir := filepath.Join(dir, "logs")
	apiLog, err := os.Create(filepath.Join(logDir, "kube-apiserver.log")) //nolint:gosec // our dir.
	if err != nil {
		return nil, errors.Wrap(err, "kube-apiserver log")
	}
	etcdLog, err := os.Create(filepath.Join(logDir, "etcd.log")) //nolint:gosec // our dir.
	if err != nil {
		return nil, errors.Wrap(err, "etcd log")
	}
	g.Defer(func() { _ = apiLog.Close(); _ = etcdLog.Close() })
	env := &envtest.Environment{
		BinaryAssetsDirectory:    assetsDir,
		ControlPlaneStartTimeout: 60 * time.Second,
		ControlPlaneStopTimeout:  30 * time.Second,
	}
	env.ControlPlane.APIServer = &envtest.APIServer{Out: apiLog, Err: apiLog}
	env.ControlPlane.Etcd = &envtest.Etcd{Out: etcdLog, Err: etcdLog}
	if _, err := env.Start(); err != nil {
		return nil, errors.Wrap(err, "start etcd and kube-apiserver (envtest)")
	}
	g.Defer(func() { _ = env.Stop() })

	admin, err := env.AddUser(envtest.User{Name: "admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return nil, errors.Wrap(err, "add admin user")
	}
	kc, err := admin.KubeConfig()
	if err != nil {
		return nil, errors.Wrap(err, "admin kubeconfig")
	}
	path := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(path, kc, 0o600); err != nil {
		return nil, errors.Wrap(err, "write kubeconfig")
	}
	k := &kube{env: env, cfg: admin.Config(), kubeconfig: path, kcmPath: filepath.Join(assetsDir, "kube-controller-manager"), logDir: logDir, group: g}
	return k, k.startKCM()
}

// startKCM starts kube-controller-manager with no serving port.
func (k *kube) startKCM() error {
	p, err := StartProcess(ProcessSpec{
		Name: "kube-controller-manager", Path: k.kcmPath, LogDir: k.logDir,
		Args: []string{
			"--kubeconfig=" + k.kubeconfig, "--leader-elect=false", "--secure-port=0",
			"--controllers=" + kcmControllers, "--concurrent-gc-syncs=5",
			"--v=" + strconv.Itoa(1),
		},
	})
	if err != nil {
		return err
	}
	k.group.Add(p)
	k.kcm = p
	return nil
}

// restartKCM restarts kube-controller-manager so that its garbage collector learns the kinds
// installed since it started at once: it re-reads discovery only every 30 seconds, and until
// then deleting an owner of a new kind cascades to nothing.
func (k *kube) restartKCM() error {
	if k.kcm != nil {
		k.kcm.Stop()
	}
	return k.startKCM()
}
