//go:build e2e

package e2e

import (
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/standin"
)

// acme is the example's tenant, the row of examples/database-per-node/claim.yaml.
const acme = "acme-corp"

// insert: a row becomes a claim, an XR and, in order, a Namespace, an RDS instance and — only
// once the instance is Ready — a Deployment; the claim turns Ready with per-resource status.
func insert(t *testing.T, s *suite) {
	start := time.Now()
	s.tenants.exec(t, "INSERT INTO "+s.tenants.table()+" VALUES ('"+acme+"', TRUE, 'db.t3.small', 50, TRUE, 'pro')")

	var claimAt, rdsReadyAt, appAt time.Time
	s.waitFor(t, 2*time.Minute, "acme-corp becomes Ready", func() error {
		o := s.objects(t, acme)
		now := time.Now()
		if o.Claim != nil && claimAt.IsZero() {
			claimAt = now
		}
		if conditionIs(o.RDS, "Ready", "True") && rdsReadyAt.IsZero() {
			rdsReadyAt = now
		}
		if o.App != nil && appAt.IsZero() {
			appAt = now
			if rdsReadyAt.IsZero() {
				t.Errorf("Deployment %s exists while the RDS instance is not Ready: %s", o.App.GetName(), conditionsText(o.RDS))
			}
		}
		return s.tenantReady(t, acme)
	})
	readyAt := time.Now()
	s.timings.add("row insert → claim", claimAt.Sub(start))
	s.timings.add("claim → all composed objects (Deployment created)", appAt.Sub(claimAt))
	s.timings.add("claim → claim Ready", readyAt.Sub(claimAt))
	s.timings.add("row insert → claim Ready", readyAt.Sub(start))

	o := s.objects(t, acme)
	wantSpec := map[string]any{"dbInstanceClass": "db.t3.small", "dbStorageGb": int64(50), "dbMultiAz": true, "planType": "pro"}
	for k, want := range wantSpec {
		if got, _, _ := unstructured.NestedFieldNoCopy(o.Claim.Object, "spec", k); got != want {
			t.Errorf("claim spec.%s: want %v, got %v", k, want, got)
		}
	}
	if got, _, _ := unstructured.NestedInt64(o.RDS.Object, "spec", "forProvider", "allocatedStorage"); got != 50 {
		t.Errorf("RDS allocatedStorage: want 50, got %d", got)
	}
	// The per-resource status function-rowplane writes on the XR reaches the claim.
	res, _, _ := unstructured.NestedSlice(o.Claim.Object, "status", "rowplane", "resources")
	if len(res) != 3 {
		t.Fatalf("claim status.rowplane.resources: want 3 entries, got %v", res)
	}
	for _, r := range res {
		m, _ := r.(map[string]any)
		if m["phase"] != "Ready" {
			t.Errorf("claim status.rowplane: resource %v is %v, want Ready", m["id"], m["phase"])
		}
	}
	t.Logf("claim %s Ready; status.rowplane.resources: %v", acme, res)
}

// updatePlan: changing plan_type re-renders the Deployment.
func updatePlan(t *testing.T, s *suite) {
	start := time.Now()
	s.tenants.exec(t, "UPDATE "+s.tenants.table()+" SET plan_type = 'enterprise' WHERE node_id = '"+acme+"'")
	s.waitFor(t, time.Minute, "Deployment follows plan_type", func() error {
		app := s.get(t, deployGVK, "node-"+acme, acme+"-app")
		if app == nil {
			return fmt.Errorf("no Deployment")
		}
		replicas, _, _ := unstructured.NestedInt64(app.Object, "spec", "replicas")
		if replicas != 2 || env(app, "PLAN_TYPE") != "enterprise" {
			return fmt.Errorf("Deployment: replicas %d, PLAN_TYPE %q", replicas, env(app, "PLAN_TYPE"))
		}
		return nil
	})
	s.timings.add("UPDATE plan_type → Deployment updated", time.Since(start))
	s.waitFor(t, time.Minute, "claim Ready again", func() error { return s.tenantReady(t, acme) })
}

// updateOnce: the RDS instance is creationPolicy Once: a changed db_instance_class reaches the
// claim and the XR but never the instance.
func updateOnce(t *testing.T, s *suite) {
	before := s.get(t, standin.RDSInstanceGVK, "", acme+"-postgres")
	s.tenants.exec(t, "UPDATE "+s.tenants.table()+" SET db_instance_class = 'db.r5.large' WHERE node_id = '"+acme+"'")
	s.waitFor(t, time.Minute, "XR follows db_instance_class", func() error {
		o := s.objects(t, acme)
		if o.XR == nil {
			return fmt.Errorf("no XR")
		}
		if got, _, _ := unstructured.NestedString(o.XR.Object, "spec", "dbInstanceClass"); got != "db.r5.large" {
			return fmt.Errorf("XR dbInstanceClass %q", got)
		}
		return nil
	})
	// Crossplane composes before it marks the XR Synced with the generation it read: once the
	// condition carries the new generation, the instance has seen the new value, or never will.
	s.waitFor(t, time.Minute, "XR composed from its new generation", func() error {
		xr := s.objects(t, acme).XR
		synced := controlplane.Condition(xr, "Synced")
		if g, _ := synced["observedGeneration"].(int64); synced["status"] != "True" || g < xr.GetGeneration() {
			return fmt.Errorf("XR generation %d, Synced %v", xr.GetGeneration(), synced)
		}
		return nil
	})
	after := s.get(t, standin.RDSInstanceGVK, "", acme+"-postgres")
	got, _, _ := unstructured.NestedString(after.Object, "spec", "forProvider", "dbInstanceClass")
	if got != "db.t3.small" || after.GetGeneration() != before.GetGeneration() {
		t.Errorf("RDS instance changed: dbInstanceClass %q (want db.t3.small), generation %d → %d", got, before.GetGeneration(), after.GetGeneration())
	}
}

// deactivate: is_active = FALSE removes the claim, XR, Namespace and Deployment; the RDS
// instance object goes too, but orphaned: the stand-in saw no delete of the cloud database.
func deactivate(t *testing.T, s *suite) {
	start := time.Now()
	s.tenants.exec(t, "UPDATE "+s.tenants.table()+" SET is_active = FALSE WHERE node_id = '"+acme+"'")
	var claimGone time.Duration
	s.waitFor(t, 2*time.Minute, "acme-corp is gone", func() error {
		if claimGone == 0 && s.get(t, claimGVK, tenantsNS, acme) == nil {
			claimGone = time.Since(start)
		}
		return s.tenantGone(t, acme)
	})
	s.timings.add("deactivate → claim gone", claimGone)
	s.timings.add("deactivate → claim, XR, Namespace, Deployment, RDS object gone", time.Since(start))
	d, ok := s.rds.Deleted(acme + "-postgres")
	switch {
	case !ok:
		t.Errorf("the RDS stand-in never saw %s-postgres deleted", acme)
	case d.CloudDeleted:
		t.Errorf("a provider would have deleted the cloud database: managementPolicies %v, deletionPolicy %q", d.ManagementPolicies, d.DeletionPolicy)
	default:
		t.Logf("RDS instance retained in the cloud: managementPolicies %v, deletionPolicy %q", d.ManagementPolicies, d.DeletionPolicy)
	}
	for _, uid := range otherTenants {
		if err := s.tenantReady(t, uid); err != nil {
			t.Errorf("another tenant was disturbed: %v", err)
		}
	}
}

// env returns the value of an env var of the Deployment's first container.
func env(app *unstructured.Unstructured, name string) string {
	cs, _, _ := unstructured.NestedSlice(app.Object, "spec", "template", "spec", "containers")
	if len(cs) == 0 {
		return ""
	}
	envs, _, _ := unstructured.NestedSlice(cs[0].(map[string]any), "env")
	for _, e := range envs {
		if m, _ := e.(map[string]any); m["name"] == name {
			v, _ := m["value"].(string)
			return v
		}
	}
	return ""
}
