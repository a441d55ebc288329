package controlplane

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// Package kinds, as the crossplane CLI names them.
const (
	KindFunction = "function"
	KindProvider = "provider"
)

const installTimeout = 3 * time.Minute

// A Package is one Crossplane package to install from its .xpkg file.
type Package struct {
	// Kind is KindFunction or KindProvider.
	Kind string
	// Name of the Function or Provider object.
	Name string
	// Source is the registry path users install from, e.g. xpkg.upbound.io/rowplane/function-rowplane.
	// Nothing is pulled: the package is served from Crossplane's cache.
	Source string
	// Xpkg is the package file `make xpkg` built.
	Xpkg string
	// RuntimeConfig names a DeploymentRuntimeConfig to install with, as users do. The External
	// runtime does not act on it.
	RuntimeConfig string
	// Args are extra arguments for the runtime binary.
	Args []string
	// CRDs are CustomResourceDefinitions the binary needs established before it starts, such
	// as those Crossplane creates from the package's ManagedResourceDefinitions.
	CRDs []string
}

// A Runtime is an installed package's binary, run by the suite in place of a Deployment.
type Runtime struct {
	Package Package
	// Ref is what was installed: Source@sha256:<digest>.
	Ref string
	// Revision is the name of the package revision the runtime serves.
	Revision string
	// Endpoint is the function's gRPC endpoint as Crossplane dials it (functions only).
	Endpoint string
	Process  *Process
}

// Install places the package in Crossplane's cache under its digest, installs it with the
// real CLI (`crossplane xpkg install <kind> <source>@<digest> <name>`) so that Crossplane's
// package manager unpacks, lints and establishes it, and then plays the External package
// runtime: it signs a serving certificate with Crossplane's CA into <name>-tls-server, runs the
// binary the package ships, and reports the revision's TLS secret, endpoint and health.
func (cp *ControlPlane) Install(ctx context.Context, p Package) (*Runtime, error) {
	x, err := OpenXpkg(p.Xpkg)
	if err != nil {
		return nil, err
	}
	if err := x.Cache(cp.xp.cacheDir, p.Source); err != nil {
		return nil, errors.Wrapf(err, "%s: put into the package cache", p.Name)
	}
	bin := filepath.Join(cp.dir, "bin", p.Name)
	if err := x.ExtractBinary(bin); err != nil {
		return nil, errors.Wrapf(err, "%s: extract runtime binary", p.Name)
	}
	rt := &Runtime{Package: p, Ref: x.Ref(p.Source)}
	args := []string{"xpkg", "install", p.Kind, rt.Ref, p.Name}
	if p.RuntimeConfig != "" {
		args = append(args, "--runtime-config="+p.RuntimeConfig)
	}
	err = RunCommand(ctx, ProcessSpec{
		Name: "crossplane-xpkg-install", Path: cp.opts.CrossplaneCLI, LogDir: cp.logDir,
		Env:  []string{"KUBECONFIG=" + cp.Kubeconfig},
		Args: args,
	})
	if err != nil {
		return nil, errors.Wrapf(err, "%s: crossplane xpkg install", p.Name)
	}
	secret := p.Name + "-tls-server"
	certsDir, err := cp.serverSecret(ctx, p.Name, secret)
	if err != nil {
		return nil, err
	}
	// The revision establishes its objects once it names its TLS server secret; a function's
	// endpoint follows once the binary serves on ports of its own.
	rev := &revisionStatus{kind: p.Kind, pkg: p.Name, tlsSecret: secret}
	if err := cp.untilCondition(ctx, p, "Installed", rev); err != nil {
		return nil, err
	}
	rt.Revision = rev.name
	for _, crd := range p.CRDs {
		if err := cp.WaitEstablished(ctx, crd); err != nil {
			return nil, errors.Wrapf(err, "%s", p.Name)
		}
	}
	proc, _, err := StartOnOwnPorts(ctx, 2, time.Minute, func(ports []int) (*Process, func() error, error) {
		binArgs, ready := cp.runtimeArgs(p, certsDir, ports)
		if p.Kind == KindFunction {
			rt.Endpoint = "dns:///localhost:" + strconv.Itoa(ports[0])
			rev.endpoint = rt.Endpoint
		}
		proc, err := StartProcess(ProcessSpec{Name: p.Name, Path: bin, LogDir: cp.logDir, Args: append(binArgs, p.Args...),
			Env: []string{"KUBECONFIG=" + cp.Kubeconfig}})
		if err == nil {
			cp.group.Add(proc)
		}
		return proc, ready, err
	})
	if err != nil {
		return nil, errors.Wrapf(err, "%s: wait for the runtime", p.Name)
	}
	rt.Process = proc
	rev.healthy = true
	return rt, cp.untilCondition(ctx, p, "Healthy", rev)
}

// runtimeArgs returns the binary's arguments and a readiness probe.
func (cp *ControlPlane) runtimeArgs(p Package, certsDir string, ports []int) ([]string, func() error) {
	addr := func(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }
	if p.Kind == KindFunction {
		return []string{"serve", "--address=" + addr(ports[0]), "--tls-server-certs-dir=" + certsDir,
				"--metrics-address=" + addr(ports[1])}, func() error {
				return loopback.Accepts(addr(ports[0]), time.Second)
			}
	}
	return []string{"--metrics-bind-address=" + addr(ports[0]), "--health-probe-bind-address=" + addr(ports[1])}, func() error {
		rsp, err := http.Get("http://" + addr(ports[1]) + "/readyz") //nolint:noctx // a short probe.
		if err != nil {
			return err
		}
		_ = rsp.Body.Close()
		if rsp.StatusCode != http.StatusOK {
			return errors.Errorf("readyz: %s", rsp.Status)
		}
		return nil
	}
}

// serverSecret signs a serving certificate for the package with Crossplane's CA, stores it as
// the Secret the revision names, and writes it where the binary reads it.
func (cp *ControlPlane) serverSecret(ctx context.Context, pkg, name string) (string, error) {
	cert, err := cp.xp.ca.sign(pkg)
	if err != nil {
		return "", err
	}
	data := map[string][]byte{corev1.TLSCertKey: cert.certPEM, corev1.TLSPrivateKeyKey: cert.keyPEM, "ca.crt": cp.xp.ca.certPEM}
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: crossplaneNamespace, Name: name}, Type: corev1.SecretTypeOpaque, Data: data}
	if err := cp.Client.Create(ctx, s); err != nil {
		return "", errors.Wrapf(err, "create secret %s", name)
	}
	dir := filepath.Join(cp.dir, "certs", pkg)
	return dir, writeFiles(dir, data)
}

// revisionStatus is what the External runtime reports on a package's active revision.
type revisionStatus struct {
	kind, pkg, tlsSecret, endpoint string
	healthy                        bool
	// name is the revision found.
	name string
}

// apply writes the runtime's status onto the package's revision.
func (r *revisionStatus) apply(ctx context.Context, c client.Client) error {
	list := &unstructured.UnstructuredList{}
	kind := map[string]string{KindFunction: "FunctionRevisionList", KindProvider: "ProviderRevisionList"}[r.kind]
	list.SetGroupVersionKind(schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1", Kind: kind})
	if err := c.List(ctx, list, client.MatchingLabels{"pkg.crossplane.io/package": r.pkg}); err != nil {
		return errors.Wrapf(err, "list revisions of %s", r.pkg)
	}
	if len(list.Items) == 0 {
		return errors.Errorf("%s has no revision yet", r.pkg)
	}
	rev := &list.Items[0]
	r.name = rev.GetName()
	st, _, _ := unstructured.NestedMap(rev.Object, "status")
	if st == nil {
		st = map[string]any{}
	}
	st["tlsServerSecretName"] = r.tlsSecret
	if r.endpoint != "" {
		st["endpoint"] = r.endpoint
	}
	if r.healthy {
		conds, _, _ := unstructured.NestedSlice(st, "conditions")
		st["conditions"] = setCondition(conds, map[string]any{
			"type": "RuntimeHealthy", "status": "True", "reason": "HealthyPackageRevision",
			"lastTransitionTime": time.Now().UTC().Format(time.RFC3339),
		})
	}
	rev.Object["status"] = st
	return errors.Wrapf(c.Status().Update(ctx, rev), "update status of %s", r.name)
}

func setCondition(conds []any, c map[string]any) []any {
	for i, o := range conds {
		if m, ok := o.(map[string]any); ok && m["type"] == c["type"] {
			if m["status"] == c["status"] {
				return conds
			}
			conds[i] = c
			return conds
		}
	}
	return append(conds, c)
}

// untilCondition keeps the revision's runtime status written until the package reports the
// condition True.
func (cp *ControlPlane) untilCondition(ctx context.Context, p Package, cond string, rev *revisionStatus) error {
	kind := map[string]string{KindFunction: "Function", KindProvider: "Provider"}[p.Kind]
	err := Eventually(ctx, installTimeout, 500*time.Millisecond, func() error {
		if err := rev.apply(ctx, cp.Client); err != nil {
			return err
		}
		return CheckCondition(ctx, cp.Client, schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1", Kind: kind},
			client.ObjectKey{Name: p.Name}, cond, "True")
	})
	return errors.Wrapf(err, "%s %s: wait for %s", kind, p.Name, cond)
}

// CheckCondition returns nil when the object has the condition with the status, and otherwise
// an error that quotes the condition as it is.
func CheckCondition(ctx context.Context, c client.Client, gvk schema.GroupVersionKind, key client.ObjectKey, cond, status string) error {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(gvk)
	if err := c.Get(ctx, key, u); err != nil {
		return errors.Wrapf(err, "get %s %s", gvk.Kind, key)
	}
	got := Condition(u, cond)
	if got["status"] == status {
		return nil
	}
	return fmt.Errorf("%s %s: condition %s is %v", gvk.Kind, key, cond, got)
}

// Condition returns the named status condition of u, or nil.
func Condition(u *unstructured.Unstructured, cond string) map[string]any {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, o := range conds {
		if m, ok := o.(map[string]any); ok && m["type"] == cond {
			return m
		}
	}
	return nil
}

// WaitEstablished waits until the named CRD is established.
func (cp *ControlPlane) WaitEstablished(ctx context.Context, crd string) error {
	gvk := extv1.SchemeGroupVersion.WithKind("CustomResourceDefinition")
	return errors.Wrapf(Eventually(ctx, installTimeout, 250*time.Millisecond, func() error {
		return CheckCondition(ctx, cp.Client, gvk, client.ObjectKey{Name: crd}, "Established", "True")
	}), "CRD %s: wait until established", crd)
}
