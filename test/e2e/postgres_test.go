//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/internal/devstack/stack"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
)

// pgExampleDir is the PostgreSQL variant of the example's hub/ folder.
const pgExampleDir = "hub-postgres"

// postgresTenant: the example's PostgreSQL Hub (mode Notify, syncInterval 5m as shipped),
// pointed at a database of the test PostgreSQL server, turns an inserted row into a Ready
// claim through the same Composition, and a deactivation deletes it, each long before the
// sync interval.
func postgresTenant(t *testing.T, s *suite) {
	// keeper stays active: the example's guards hold back deleting a Hub's last claim (an
	// empty table), which the guard tests cover.
	const ns, uid, keeper = "tenants-pg", "pg-tenant", "pg-keeper"
	pg := pgtest.New(t)
	root := repoRoot(t)
	for _, f := range []string{"nodes.sql", "trigger.sql"} {
		b, err := os.ReadFile(filepath.Join(root, exampleDir, pgExampleDir, f)) //nolint:gosec // the example's SQL.
		if err != nil {
			t.Fatal(err)
		}
		pg.Exec(t, string(b))
	}
	user, pass := pg.NewUser(t)
	pg.Exec(t, `GRANT SELECT ON nodes TO "`+user+`"`)
	if err := s.c.Create(s.ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	var objs []*unstructured.Unstructured
	for _, f := range []string{"providerconfig.yaml", "hub.yaml"} {
		docs, err := stack.Load(root, filepath.Join(pgExampleDir, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range docs {
			o.SetNamespace(ns)
			switch {
			case o.GetName() == "postgres-ca":
				continue // the example's CA placeholder.
			case o.GetKind() == "Secret":
				_ = unstructured.SetNestedStringMap(o.Object, map[string]string{"username": user, "password": pass}, "stringData")
			case o.GetKind() == "ProviderConfig":
				_ = unstructured.SetNestedField(o.Object, pg.Host, "spec", "host")
				_ = unstructured.SetNestedField(o.Object, int64(pg.Port), "spec", "port")
				_ = unstructured.SetNestedField(o.Object, pg.Name, "spec", "database")
				_ = unstructured.SetNestedMap(o.Object, map[string]any{"mode": "disabled"}, "spec", "tls")
			}
			objs = append(objs, o)
		}
	}
	s.applySyncedHub(t, "the PostgreSQL Hub", objs)

	start := time.Now()
	pg.Exec(t, `INSERT INTO nodes (node_id, plan_type) VALUES ('`+uid+`', 'pro'), ('`+keeper+`', 'basic')`)
	var claimAt time.Time
	s.waitFor(t, 2*time.Minute, "the PostgreSQL row's claim becomes Ready", func() error {
		c := s.get(t, claimGVK, ns, uid)
		if c != nil && claimAt.IsZero() {
			claimAt = time.Now()
		}
		if !conditionIs(c, "Ready", "True") {
			return fmt.Errorf("claim %s/%s: %s", ns, uid, conditionsText(c))
		}
		return nil
	})
	s.timings.add("PostgreSQL (Notify, syncInterval 5m): row insert → claim", claimAt.Sub(start))
	s.timings.add("PostgreSQL (Notify, syncInterval 5m): row insert → claim Ready", time.Since(start))

	start = time.Now()
	pg.Exec(t, `UPDATE nodes SET is_active = false WHERE node_id = '`+uid+`'`)
	s.waitFor(t, time.Minute, "the deactivated PostgreSQL row's claim is deleted", func() error {
		if c := s.get(t, claimGVK, ns, uid); c != nil && c.GetDeletionTimestamp() == nil {
			return fmt.Errorf("claim %s/%s still exists", ns, uid)
		}
		return nil
	})
	s.timings.add("PostgreSQL (Notify, syncInterval 5m): deactivate → claim deleted", time.Since(start))
}
