package controlplane

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Names core init and start agree on, as the Helm chart sets them.
const (
	crossplaneNamespace = "crossplane-system"
	rootCASecret        = "crossplane-root-ca"
	clientSecret        = "crossplane-tls-client"
)

// crossplane is Crossplane core running out of cluster.
type crossplane struct {
	ca       *certAuthority
	cacheDir string
	process  *Process
}

// startCrossplane runs `crossplane core init` until it succeeds (its first run fails while
// its own CRDs are not yet established), then `crossplane core start` with webhooks off, the
// External package runtime and free metrics and health ports.
func startCrossplane(ctx context.Context, c client.Client, opts Options, dir string, g *Group) (*crossplane, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: crossplaneNamespace}}
	if err := c.Create(ctx, ns); err != nil {
		return nil, errors.Wrap(err, "create namespace crossplane-system")
	}
	logDir := filepath.Join(dir, "logs")
	env := []string{
		"KUBECONFIG=" + filepath.Join(dir, "kubeconfig"),
		"POD_NAMESPACE=" + crossplaneNamespace,
		"ENABLE_WEBHOOKS=false",
		"CRDS_PATH=" + opts.CrossplaneCRDs,
		"TLS_CA_SECRET_NAME=" + rootCASecret,
		"TLS_CLIENT_SECRET_NAME=" + clientSecret,
	}
	init := ProcessSpec{Name: "crossplane-init", Path: opts.CrossplaneCore, LogDir: logDir, Env: env,
		Args: []string{"core", "init", "--activation=*"}}
	err := Eventually(ctx, 2*time.Minute, 2*time.Second, func() error { return RunCommand(ctx, init) })
	if err != nil {
		return nil, errors.Wrap(err, "crossplane core init")
	}

	var ca, cl corev1.Secret
	if err := c.Get(ctx, client.ObjectKey{Namespace: crossplaneNamespace, Name: rootCASecret}, &ca); err != nil {
		return nil, errors.Wrap(err, "read Crossplane root CA")
	}
	if err := c.Get(ctx, client.ObjectKey{Namespace: crossplaneNamespace, Name: clientSecret}, &cl); err != nil {
		return nil, errors.Wrap(err, "read Crossplane client certificate")
	}
	authority, err := parseCA(ca.Data[corev1.TLSCertKey], ca.Data[corev1.TLSPrivateKeyKey])
	if err != nil {
		return nil, err
	}
	certsDir := filepath.Join(dir, "crossplane", "tls-client")
	if err := writeFiles(certsDir, map[string][]byte{
		"ca.crt": cl.Data["ca.crt"], corev1.TLSCertKey: cl.Data[corev1.TLSCertKey], corev1.TLSPrivateKeyKey: cl.Data[corev1.TLSPrivateKeyKey],
	}); err != nil {
		return nil, err
	}
	cacheDir := filepath.Join(dir, "crossplane", "xpkg-cache")
	if err := os.MkdirAll(cacheDir, 0o750); err != nil {
		return nil, errors.Wrap(err, "package cache")
	}
	args := []string{"core", "start", "--poll-interval=10s"}
	if opts.Debug {
		args = append(args, "--debug")
	}
	// Crossplane binds its metrics and health ports on every interface once its manager runs.
	p, _, err := StartOnOwnPorts(ctx, 2, 2*time.Minute, func(ports []int) (*Process, func() error, error) {
		p, err := StartProcess(ProcessSpec{Name: "crossplane", Path: opts.CrossplaneCore, LogDir: logDir, Args: args,
			Env: append(env[:len(env):len(env)],
				"PACKAGE_RUNTIME=External",
				"TLS_CLIENT_CERTS_DIR="+certsDir,
				"XPKG_CACHE_DIR="+cacheDir,
				"METRICS_PORT="+strconv.Itoa(ports[0]),
				"HEALTH_PROBE_PORT="+strconv.Itoa(ports[1]),
			)})
		if err == nil {
			g.Add(p)
		}
		return p, nil, err
	})
	if err != nil {
		return nil, errors.Wrap(err, "crossplane core start")
	}
	return &crossplane{ca: authority, cacheDir: cacheDir, process: p}, nil
}

// writeFiles writes each file into dir, creating it.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errors.Wrapf(err, "create %s", dir)
	}
	for name, b := range files {
		if len(b) == 0 {
			return errors.Errorf("%s: no content for %s", dir, name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return errors.Wrapf(err, "write %s", name)
		}
	}
	return nil
}
