//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/test/controlplane"
	"github.com/rowplane/rowplane/test/standin"
)

const (
	exampleDir = "examples/database-per-node"
	// tenantsNS is where the example's Hub, ProviderConfig and claims live.
	tenantsNS = "tenants"
	hubName   = "database-per-node"
	// fieldOwner is the suite's server-side apply field manager.
	fieldOwner = "rowplane-e2e"
	// hubSyncInterval replaces the example's 1m, so that a row reaches the API server in
	// seconds; everything else about the Hub is the example's.
	hubSyncInterval = "2s"
)

var (
	xrdGVK = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1", Kind: "CompositeResourceDefinition"}
	hubGVK = schema.GroupVersionKind{Group: "rowplane.io", Version: "v1alpha1", Kind: "Hub"}
	mrdGVK = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1alpha1", Kind: "ManagedResourceDefinitionList"}
)

// applyExample applies the database-per-node example as a user would, pointed at the suite's
// MariaDB: RBAC, XRD, Composition, the RDSInstance stand-in, ProviderConfig and Hub.
func (s *suite) applyExample(t *testing.T) {
	t.Helper()
	ctx := s.ctx
	if err := standin.InstallCRD(ctx, s.c); err != nil {
		t.Fatal(err)
	}
	s.apply(t, load(t, "xrd.yaml")...)
	err := controlplane.Eventually(ctx, 2*time.Minute, 250*time.Millisecond, func() error {
		for _, c := range []string{"Established", "Offered"} {
			if err := controlplane.CheckCondition(ctx, s.c, xrdGVK, client.ObjectKey{Name: "xnodedatabases.example.rowplane.io"}, c, "True"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("XRD: %v", err)
	}
	for _, crd := range []string{"xnodedatabases.example.rowplane.io", "nodedatabases.example.rowplane.io", "rdsinstances.database.aws.crossplane.io"} {
		if err := s.cp.WaitEstablished(ctx, crd); err != nil {
			t.Fatal(err)
		}
	}
	s.apply(t, load(t, "composition.yaml")...)
	// Every kind the garbage collector must cascade through exists now.
	if err := s.cp.RestartControllerManager(); err != nil {
		t.Fatalf("restart kube-controller-manager: %v", err)
	}

	s.rds = standin.NewRDS(s.c, time.Second)
	go s.rds.Run(ctx)
	go standin.NewKubelet(s.c).Run(ctx)

	s.tenants = newTenantDB(t, s)
	if err := s.c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: tenantsNS}}); err != nil {
		t.Fatal(err)
	}
	var objs []*unstructured.Unstructured
	for _, o := range load(t, "hub/providerconfig.yaml") {
		switch {
		case o.GetName() == "mysql-ca":
			continue // the example's CA placeholder; the private server speaks plain text.
		case o.GetKind() == "Secret":
			_ = unstructured.SetNestedStringMap(o.Object, map[string]string{"username": s.tenants.user, "password": s.tenants.password}, "stringData")
		case o.GetKind() == "ProviderConfig":
			spec := map[string]any{"host": s.db.Host, "port": int64(s.db.Port), "database": s.tenants.database,
				"credentials": map[string]any{"secretRef": map[string]any{"name": "mysql-credentials"}},
				"tls":         map[string]any{"mode": "disabled"}, "queryTimeout": "5s"}
			_ = unstructured.SetNestedMap(o.Object, spec, "spec")
		}
		objs = append(objs, o)
	}
	hub := load(t, "hub/hub.yaml")
	_ = unstructured.SetNestedField(hub[0].Object, hubSyncInterval, "spec", "syncInterval")
	s.apply(t, append(objs, hub...)...)
}

// applyProviderInstall applies the provider's install manifests (runtime config, RBAC) from
// package/install/provider, as its README asks before installing the package.
func (s *suite) applyProviderInstall(t *testing.T) {
	t.Helper()
	for _, f := range []string{"deploymentruntimeconfig.yaml", "clusterrole.yaml", "targets-example.yaml", "clusterrolebinding.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot(t), "package", "install", "provider", f))
		if err != nil {
			t.Fatal(err)
		}
		s.apply(t, decode(t, b)...)
	}
}

// apply server-side applies objects as the suite's field manager.
func (s *suite) apply(t *testing.T, objs ...*unstructured.Unstructured) {
	t.Helper()
	for _, o := range objs {
		o.SetManagedFields(nil)
		o.SetResourceVersion("")
		err := controlplane.Eventually(s.ctx, 30*time.Second, 500*time.Millisecond, func() error {
			return s.c.Patch(s.ctx, o.DeepCopy(), client.Apply, client.FieldOwner(fieldOwner), client.ForceOwnership) //nolint:staticcheck // unstructured apply.
		})
		if err != nil {
			t.Fatalf("apply %s %s: %v", o.GetKind(), o.GetName(), err)
		}
	}
}

// load reads the YAML documents of a file of the example.
func load(t *testing.T, name string) []*unstructured.Unstructured {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), exampleDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, b)
}

func decode(t *testing.T, b []byte) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	for {
		u := &unstructured.Unstructured{}
		err := d.Decode(&u.Object)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("decode YAML: %v", err)
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}

// reportPackageObjects logs what Crossplane made of the provider package's CRDs: which became
// ManagedResourceDefinitions, their state, and that the CRDs are established.
func reportPackageObjects(t *testing.T, s *suite) {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	mrds := &unstructured.UnstructuredList{}
	mrds.SetGroupVersionKind(mrdGVK)
	if err := s.c.List(ctx, mrds); err != nil {
		t.Logf("list ManagedResourceDefinitions: %v", err)
	}
	for _, m := range mrds.Items {
		state, _, _ := unstructured.NestedString(m.Object, "spec", "state")
		t.Logf("ManagedResourceDefinition %s: state %s, Established %v", m.GetName(), state, controlplane.Condition(&m, "Established")["status"])
	}
	var crds extv1.CustomResourceDefinitionList
	if err := s.c.List(ctx, &crds); err != nil {
		t.Fatalf("list CRDs: %v", err)
	}
	for _, c := range crds.Items {
		if !strings.HasSuffix(c.Spec.Group, "rowplane.io") {
			continue
		}
		owners := []string{}
		for _, o := range c.OwnerReferences {
			owners = append(owners, o.Kind+"/"+o.Name)
		}
		t.Logf("CRD %s owned by %v", c.Name, owners)
	}
}
