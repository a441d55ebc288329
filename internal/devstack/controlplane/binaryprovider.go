package controlplane

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/errors"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// A BinaryProvider is a third-party provider run from a binary built elsewhere (by
// .ci/tools.sh), with its CRDs applied as they are instead of through Crossplane's package
// manager, as provider-kubernetes is.
type BinaryProvider struct {
	// Name names the process, its log and its certificate directory.
	Name string
	// Binary is the provider's executable.
	Binary string
	// CRDDir holds the provider's CRDs, one per YAML file (a package's package/crds).
	CRDDir string
	// WebhookPort is where the binary serves its webhooks, on 127.0.0.1 only. Conversion
	// webhooks of its CRDs are pointed there, as Crossplane's package manager points them at
	// the provider's Service.
	WebhookPort int
	// Args and Env are the binary's; Env comes on top of KUBECONFIG (the admin kubeconfig) and
	// TLS_SERVER_CERTS_DIR (tls.crt and tls.key signed by Crossplane's CA).
	Args []string
	Env  []string
}

// RunBinaryProvider applies the provider's CRDs and waits until they are established, runs
// the binary against the control plane, and returns once its webhook server accepts
// connections, which a controller-runtime manager starts with its controllers.
func (cp *ControlPlane) RunBinaryProvider(ctx context.Context, p BinaryProvider) (*Process, error) {
	cert, err := cp.xp.ca.sign(p.Name)
	if err != nil {
		return nil, err
	}
	certsDir := filepath.Join(cp.dir, "certs", p.Name)
	if err := writeFiles(certsDir, map[string][]byte{"tls.crt": cert.certPEM, "tls.key": cert.keyPEM, "ca.crt": cp.xp.ca.certPEM}); err != nil {
		return nil, err
	}
	if err := cp.applyCRDs(ctx, p); err != nil {
		return nil, err
	}
	proc, err := StartProcess(ProcessSpec{Name: p.Name, Path: p.Binary, LogDir: cp.logDir, Args: p.Args,
		Env: append([]string{"KUBECONFIG=" + cp.Kubeconfig, "TLS_SERVER_CERTS_DIR=" + certsDir}, p.Env...)})
	if err != nil {
		return nil, err
	}
	cp.group.Add(proc)
	webhook := "127.0.0.1:" + strconv.Itoa(p.WebhookPort)
	err = Eventually(ctx, time.Minute, 250*time.Millisecond, func() error {
		if ended, err := proc.Exited(); ended {
			return errors.Errorf("%s exited: %v\n%s", p.Name, err, proc.Tail(3000))
		}
		return loopback.Accepts(webhook, time.Second)
	})
	return proc, errors.Wrapf(err, "%s: wait for its webhook server on %s", p.Name, webhook)
}

// applyCRDs creates every CRD in p.CRDDir and waits until each is established.
func (cp *ControlPlane) applyCRDs(ctx context.Context, p BinaryProvider) error {
	files, err := filepath.Glob(filepath.Join(p.CRDDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		return errors.Errorf("%s: no CRDs in %s (%v)", p.Name, p.CRDDir, err)
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // the provider module's CRDs.
		if err != nil {
			return errors.Wrapf(err, "%s: read CRD", p.Name)
		}
		crd := &extv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(b, crd); err != nil {
			return errors.Wrapf(err, "%s: decode %s", p.Name, f)
		}
		if c := crd.Spec.Conversion; c != nil && c.Strategy == extv1.WebhookConverter && c.Webhook != nil && c.Webhook.ClientConfig != nil {
			path := "/convert"
			if s := c.Webhook.ClientConfig.Service; s != nil && s.Path != nil {
				path = *s.Path
			}
			url := "https://127.0.0.1:" + strconv.Itoa(p.WebhookPort) + "/" + strings.TrimPrefix(path, "/")
			c.Webhook.ClientConfig = &extv1.WebhookClientConfig{URL: &url, CABundle: cp.xp.ca.certPEM}
		}
		if err := cp.Client.Create(ctx, crd); err != nil && !kerrors.IsAlreadyExists(err) {
			return errors.Wrapf(err, "%s: create CRD %s", p.Name, crd.Name)
		}
		names = append(names, crd.Name)
	}
	for _, n := range names {
		if err := cp.WaitEstablished(ctx, n); err != nil {
			return errors.Wrapf(err, "%s", p.Name)
		}
	}
	return nil
}
