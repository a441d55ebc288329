package stack

import (
	"context"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// ProviderKubernetesModule is the provider-kubernetes release .ci/tools.sh builds; its CRDs
// come from the same module.
const ProviderKubernetesModule = "github.com/crossplane-contrib/provider-kubernetes@v1.0.0"

// ObjectGVK is provider-kubernetes' namespaced Object, the wrapper of retained plain objects.
var ObjectGVK = schema.GroupVersionKind{Group: "kubernetes.m.crossplane.io", Version: "v1alpha1", Kind: "Object"}

// pkKubeconfigSecret holds the kubeconfig the ClusterProviderConfig names.
const pkKubeconfigSecret = "provider-kubernetes-kubeconfig"

// StartProviderKubernetes installs provider-kubernetes' CRDs, runs the provider binary against
// the control plane with every listener on loopback (metrics and webhook; it serves no health
// probes), and applies the ClusterProviderConfig "default" that rowplane's Retain wrappers
// use. In a cluster that config would take the pod's identity (InjectedIdentity); a process has
// none, so it reads the admin kubeconfig from a Secret, the credential source
// provider-kubernetes offers for reaching a cluster from outside.
func StartProviderKubernetes(ctx context.Context, cp *controlplane.ControlPlane, binary string) (*controlplane.Process, error) {
	dir, err := ModuleDir(ctx, ProviderKubernetesModule)
	if err != nil {
		return nil, err
	}
	ports, err := loopback.FreePorts(2)
	if err != nil {
		return nil, err
	}
	proc, err := cp.RunBinaryProvider(ctx, controlplane.BinaryProvider{
		Name: "provider-kubernetes", Binary: binary, CRDDir: filepath.Join(dir, "package", "crds"), WebhookPort: ports[0],
		Args: []string{"--debug"},
		// Read by the loopback overlay .ci/tools.sh builds in (.ci/overlay).
		Env: []string{"ROWPLANE_WEBHOOK_PORT=" + strconv.Itoa(ports[0]), "ROWPLANE_METRICS_ADDRESS=127.0.0.1:" + strconv.Itoa(ports[1])},
	})
	if err != nil {
		return nil, errors.Wrap(err, "run provider-kubernetes")
	}
	kc, err := os.ReadFile(cp.Kubeconfig)
	if err != nil {
		return nil, errors.Wrap(err, "read the admin kubeconfig")
	}
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "crossplane-system", Name: pkKubeconfigSecret},
		Data: map[string][]byte{"kubeconfig": kc}}
	if err := cp.Client.Create(ctx, secret); err != nil {
		return nil, errors.Wrapf(err, "create secret %s", pkKubeconfigSecret)
	}
	pc := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kubernetes.m.crossplane.io/v1alpha1",
		"kind":       "ClusterProviderConfig",
		"metadata":   map[string]any{"name": "default"},
		"spec": map[string]any{"credentials": map[string]any{
			"source":    "Secret",
			"secretRef": map[string]any{"namespace": "crossplane-system", "name": pkKubeconfigSecret, "key": "kubeconfig"},
		}},
	}}
	return proc, Apply(ctx, cp.Client, pc)
}

// WebAppDir is the web-app example: a namespaced WebApp whose data volume is retained.
const WebAppDir = "examples/web-app"

// ApplyWebApp applies the web-app example's XRD (waiting until WebApps are served) and
// Composition, restarts kube-controller-manager so that its garbage collector cascades through
// WebApps and provider-kubernetes Objects at once, and creates the example's WebApp in a new
// namespace ns. It returns the WebApp as applied.
func ApplyWebApp(ctx context.Context, cp *controlplane.ControlPlane, root, ns string) (*unstructured.Unstructured, error) {
	xrd, err := LoadExample(root, WebAppDir, "xrd.yaml")
	if err != nil {
		return nil, err
	}
	if err := Apply(ctx, cp.Client, xrd...); err != nil {
		return nil, err
	}
	if err := cp.WaitEstablished(ctx, "webapps.example.rowplane.io"); err != nil {
		return nil, err
	}
	comp, err := LoadExample(root, WebAppDir, "composition.yaml")
	if err != nil {
		return nil, err
	}
	if err := Apply(ctx, cp.Client, comp...); err != nil {
		return nil, err
	}
	if err := cp.RestartControllerManager(); err != nil {
		return nil, errors.Wrap(err, "restart kube-controller-manager")
	}
	if err := cp.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		return nil, errors.Wrapf(err, "create namespace %s", ns)
	}
	xr, err := LoadExample(root, WebAppDir, "xr.yaml")
	if err != nil {
		return nil, err
	}
	xr[0].SetNamespace(ns)
	return xr[0], Apply(ctx, cp.Client, xr[0])
}
