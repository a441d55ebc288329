// Package stack brings up what the end-to-end suite and `make demo` run on a control plane:
// both rowplane packages installed as the README says, and the database-per-node example
// applied with its stand-ins. It also reads back what one tenant's row became. Every function
// returns an error; the caller decides whether that fails a test or a demo step.
package stack

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
)

// Package sources as users install them. Nothing is pulled: Crossplane finds them in its cache.
const (
	FunctionSource = "xpkg.upbound.io/rowplane/function-rowplane"
	ProviderSource = "xpkg.upbound.io/rowplane/provider-rowplane"
)

// Packages are the package files to install.
type Packages struct {
	// Function and Provider are .xpkg files for this platform.
	Function, Provider string
	// ProviderArgs are extra arguments for provider-rowplane.
	ProviderArgs []string
}

// InstallFunction installs function-rowplane and waits until it is healthy.
func InstallFunction(ctx context.Context, cp *controlplane.ControlPlane, p Packages) (*controlplane.Runtime, error) {
	rt, err := cp.Install(ctx, controlplane.Package{Kind: controlplane.KindFunction, Name: "function-rowplane",
		Source: FunctionSource, Xpkg: p.Function})
	return rt, errors.Wrap(err, "install function-rowplane")
}

// InstallProvider applies the provider's install manifests (runtime config and RBAC, from
// package/install/provider under root, as the README asks first), then installs
// provider-rowplane and waits until it is healthy.
func InstallProvider(ctx context.Context, cp *controlplane.ControlPlane, root string, p Packages) (*controlplane.Runtime, error) {
	for _, f := range []string{"deploymentruntimeconfig.yaml", "clusterrole.yaml", "targets-example.yaml", "clusterrolebinding.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, "package", "install", "provider", f)) //nolint:gosec // the repository's manifests.
		if err != nil {
			return nil, errors.Wrap(err, "provider install manifests")
		}
		objs, err := Decode(b)
		if err != nil {
			return nil, errors.Wrapf(err, "decode %s", f)
		}
		if err := Apply(ctx, cp.Client, objs...); err != nil {
			return nil, err
		}
	}
	rt, err := cp.Install(ctx, controlplane.Package{Kind: controlplane.KindProvider, Name: "provider-rowplane",
		Source: ProviderSource, Xpkg: p.Provider, CRDs: []string{"hubs.rowplane.io", "providerconfigs.rowplane.io"},
		RuntimeConfig: "provider-rowplane", Args: p.ProviderArgs})
	return rt, errors.Wrap(err, "install provider-rowplane")
}

// applyTimeout bounds retrying one apply while a kind is still being established.
const applyTimeout = 30 * time.Second
