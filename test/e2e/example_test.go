//go:build e2e

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/stack"
)

const (
	exampleDir = stack.ExampleDir
	tenantsNS  = stack.TenantsNS
	hubName    = stack.HubName
)

var (
	hubGVK = stack.HubGVK
	mrdGVK = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1alpha1", Kind: "ManagedResourceDefinitionList"}
)

// applyExample applies the database-per-node example as a user would, pointed at the suite's
// MariaDB: XRD, Composition, the RDSInstance stand-in, ProviderConfig and Hub.
func (s *suite) applyExample(t *testing.T) {
	t.Helper()
	root := repoRoot(t)
	if err := stack.ApplyComposition(s.ctx, s.cp, root); err != nil {
		t.Fatal(err)
	}
	s.rds = stack.StartStandIns(s.ctx, s.c)
	s.tenants = newTenantDB(t, s)
	err := stack.ApplyHub(s.ctx, s.c, root, stack.Database{Host: s.db.Host, Port: s.db.Port, Name: s.tenants.database,
		User: s.tenants.user, Password: s.tenants.password})
	if err != nil {
		t.Fatal(err)
	}
}

// apply server-side applies objects as the suite's field manager.
func (s *suite) apply(t *testing.T, objs ...*unstructured.Unstructured) {
	t.Helper()
	if err := stack.Apply(s.ctx, s.c, objs...); err != nil {
		t.Fatal(err)
	}
}

// load reads the YAML documents of a file of the example.
func load(t *testing.T, name string) []*unstructured.Unstructured {
	t.Helper()
	objs, err := stack.Load(repoRoot(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return objs
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
