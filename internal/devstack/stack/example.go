package stack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/standin"
)

const (
	// ExampleDir is the use case both runs apply, relative to the repository root.
	ExampleDir = "examples/database-per-node"
	// TenantsNS is where the example's Hub, ProviderConfig and claims live.
	TenantsNS = "tenants"
	// HubName is the example's Hub.
	HubName = "database-per-node"
	// HubSyncInterval replaces the example's 1m, so that a row reaches the API server in
	// seconds; everything else about the Hub is the example's.
	HubSyncInterval = "2s"
	// RDSReadyAfter is how long the RDS stand-in takes to mark an instance Ready.
	RDSReadyAfter = time.Second
)

// Kinds of the example and of what it composes.
var (
	XRDGVK        = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1", Kind: "CompositeResourceDefinition"}
	HubGVK        = schema.GroupVersionKind{Group: "rowplane.io", Version: "v1alpha1", Kind: "Hub"}
	ClaimGVK      = schema.GroupVersionKind{Group: "example.rowplane.io", Version: "v1alpha1", Kind: "NodeDatabase"}
	XRGVK         = schema.GroupVersionKind{Group: "example.rowplane.io", Version: "v1alpha1", Kind: "XNodeDatabase"}
	NamespaceGVK  = schema.GroupVersionKind{Version: "v1", Kind: "Namespace"}
	DeploymentGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
)

// A Database is where the Hub reads the nodes table.
type Database struct {
	Host string
	Port int
	// Name of the database holding the nodes table.
	Name string
	// User and Password go into the ProviderConfig's credentials Secret.
	User, Password string
	// TLSMode is the ProviderConfig's spec.tls.mode; empty means disabled.
	TLSMode string
}

// NodesSchema returns the example's CREATE TABLE statement (hub/nodes.sql) for the named table.
func NodesSchema(root, table string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, ExampleDir, "hub", "nodes.sql")) //nolint:gosec // the example's schema.
	if err != nil {
		return "", errors.Wrap(err, "read the nodes schema")
	}
	return strings.Replace(string(b), "CREATE TABLE nodes", "CREATE TABLE "+table, 1), nil
}

// ApplyComposition applies the RDSInstance stand-in CRD, the example's XRD (waiting until its
// kinds are served) and Composition, then restarts kube-controller-manager so that its garbage
// collector cascades through the new kinds at once.
func ApplyComposition(ctx context.Context, cp *controlplane.ControlPlane, root string) error {
	c := cp.Client
	if err := standin.InstallCRD(ctx, c); err != nil {
		return err
	}
	xrd, err := Load(root, "xrd.yaml")
	if err != nil {
		return err
	}
	if err := Apply(ctx, c, xrd...); err != nil {
		return err
	}
	err = controlplane.Eventually(ctx, 2*time.Minute, 250*time.Millisecond, func() error {
		for _, cond := range []string{"Established", "Offered"} {
			if err := controlplane.CheckCondition(ctx, c, XRDGVK, client.ObjectKey{Name: "xnodedatabases.example.rowplane.io"}, cond, "True"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return errors.Wrap(err, "XRD")
	}
	for _, crd := range []string{"xnodedatabases.example.rowplane.io", "nodedatabases.example.rowplane.io", "rdsinstances.database.aws.crossplane.io"} {
		if err := cp.WaitEstablished(ctx, crd); err != nil {
			return err
		}
	}
	comp, err := Load(root, "composition.yaml")
	if err != nil {
		return err
	}
	if err := Apply(ctx, c, comp...); err != nil {
		return err
	}
	return errors.Wrap(cp.RestartControllerManager(), "restart kube-controller-manager")
}

// StartStandIns runs the RDS instance controller and the Deployment status stand-ins until
// ctx ends, and returns the RDS one, which records deletions.
func StartStandIns(ctx context.Context, c client.Client) *standin.RDS {
	rds := standin.NewRDS(c, RDSReadyAfter)
	go rds.Run(ctx)
	go standin.NewKubelet(c).Run(ctx)
	return rds
}

// ApplyHub creates the tenants namespace and applies the example's credentials Secret,
// ProviderConfig (pointed at db, the CA placeholder left out) and Hub (syncing every
// HubSyncInterval).
func ApplyHub(ctx context.Context, c client.Client, root string, db Database) error {
	err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: TenantsNS}})
	if err != nil && !kerrors.IsAlreadyExists(err) {
		return errors.Wrapf(err, "create namespace %s", TenantsNS)
	}
	pc, err := Load(root, "hub/providerconfig.yaml")
	if err != nil {
		return err
	}
	tlsMode := db.TLSMode
	if tlsMode == "" {
		tlsMode = "disabled"
	}
	var objs []*unstructured.Unstructured
	for _, o := range pc {
		switch {
		case o.GetName() == "mysql-ca":
			continue // the example's CA placeholder.
		case o.GetKind() == "Secret":
			_ = unstructured.SetNestedStringMap(o.Object, map[string]string{"username": db.User, "password": db.Password}, "stringData")
		case o.GetKind() == "ProviderConfig":
			spec := map[string]any{"host": db.Host, "port": int64(db.Port), "database": db.Name,
				"credentials": map[string]any{"secretRef": map[string]any{"name": "mysql-credentials"}},
				"tls":         map[string]any{"mode": tlsMode}, "queryTimeout": "5s"}
			_ = unstructured.SetNestedMap(o.Object, spec, "spec")
		}
		objs = append(objs, o)
	}
	hub, err := Load(root, "hub/hub.yaml")
	if err != nil {
		return err
	}
	_ = unstructured.SetNestedField(hub[0].Object, HubSyncInterval, "spec", "syncInterval")
	return Apply(ctx, c, append(objs, hub...)...)
}
