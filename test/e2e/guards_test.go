//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/internal/devstack/controlplane"
)

// otherTenants arrive together, next to acme-corp.
var otherTenants = []string{"globex", "initech", "umbrella"}

// invalidUID is not a valid object name, so the Hub must skip its row.
const invalidUID = "Bad_Tenant!"

// formCycle: a Composition whose Form has a dependency cycle reaches the claim as a condition
// that names the cycle, and deletes nothing; restoring it recovers.
func formCycle(t *testing.T, s *suite) {
	good := load(t, "composition.yaml")[0]
	broken := good.DeepCopy()
	pipeline, _, _ := unstructured.NestedSlice(broken.Object, "spec", "pipeline")
	step := pipeline[0].(map[string]any)
	nss, _, _ := unstructured.NestedSlice(step, "input", "spec", "namespaces")
	// ns → app → rds-instance → ns.
	nss[0].(map[string]any)["dependIds"] = []any{"app"}
	if err := unstructured.SetNestedSlice(step, nss, "input", "spec", "namespaces"); err != nil {
		t.Fatal(err)
	}
	pipeline[0] = step
	_ = unstructured.SetNestedSlice(broken.Object, pipeline, "spec", "pipeline")
	s.apply(t, broken)

	// Crossplane puts a Fatal result's message on the XR's Synced condition; the claim shows it
	// only when the function also returns a condition targeted at the claim, which Crossplane
	// applies even from a Fatal response.
	start := time.Now()
	s.waitFor(t, time.Minute, "the cycle reaches the XR", func() error {
		xr := s.objects(t, acme).XR
		if m, _ := controlplane.Condition(xr, "Synced")["message"].(string); !strings.Contains(m, "dependency cycle") {
			return fmt.Errorf("XR conditions %s", conditionsText(xr))
		}
		return nil
	})
	var msg string
	err := controlplane.Eventually(s.ctx, 15*time.Second, 200*time.Millisecond, func() error {
		claim := s.get(t, claimGVK, tenantsNS, acme)
		for _, c := range []string{"Synced", "Ready", "ResourcesReady"} {
			if m, _ := controlplane.Condition(claim, c)["message"].(string); strings.Contains(m, "dependency cycle") {
				msg = c + ": " + m
				return nil
			}
		}
		return fmt.Errorf("claim conditions %s", conditionsText(claim))
	})
	if err != nil {
		t.Errorf("the cycle is on the XR (%s) but no claim condition names it: %v", conditionsText(s.objects(t, acme).XR), err)
	} else {
		s.timings.add("broken Form → condition on the claim", time.Since(start))
		t.Logf("claim condition %s", msg)
	}
	// The condition proves Crossplane reconciled the XR with the broken Form, and a Hub sync
	// that began after that saw the failing claim: neither may have deleted anything.
	s.timings.add("broken Form on the claim → a later Hub sync", s.waitForSyncSince(t, time.Now()))
	o := s.objects(t, acme)
	for name, u := range map[string]*unstructured.Unstructured{"XR": o.XR, "Namespace": o.NS, "RDS instance": o.RDS, "Deployment": o.App} {
		if u == nil || u.GetDeletionTimestamp() != nil {
			t.Errorf("%s deleted while the Form was broken", name)
		}
	}
	s.apply(t, good)
	s.waitFor(t, time.Minute, "claim recovers", func() error {
		if err := s.tenantReady(t, acme); err != nil {
			return err
		}
		claim := s.get(t, claimGVK, tenantsNS, acme)
		if !conditionIs(claim, "Synced", "True") {
			return fmt.Errorf("claim %s", conditionsText(claim))
		}
		return nil
	})
}

// threeTenants: three rows inserted at once all become Ready; an invalid row in the same insert
// shows on the Hub and holds nobody up.
func threeTenants(t *testing.T, s *suite) {
	start := time.Now()
	var values []string
	for _, uid := range otherTenants {
		values = append(values, "('"+uid+"', TRUE, 'db.t3.micro', 20, FALSE, 'basic')")
	}
	values = append(values, "('"+invalidUID+"', TRUE, 'db.t3.micro', 20, FALSE, 'basic')")
	s.tenants.exec(t, "INSERT INTO "+s.tenants.table()+" VALUES "+strings.Join(values, ", "))
	s.waitFor(t, 3*time.Minute, "three tenants Ready", func() error {
		for _, uid := range otherTenants {
			if err := s.tenantReady(t, uid); err != nil {
				return err
			}
		}
		return nil
	})
	s.timings.add("3 rows inserted at once → 3 claims Ready", time.Since(start))
	s.waitFor(t, 30*time.Second, "the invalid row shows on the Hub", func() error {
		hub := s.get(t, hubGVK, tenantsNS, hubName)
		n, _, _ := unstructured.NestedInt64(hub.Object, "status", "invalidRows")
		samples, _, _ := unstructured.NestedSlice(hub.Object, "status", "invalidRowSamples")
		if n != 1 || !strings.Contains(fmt.Sprint(samples), invalidUID) {
			return fmt.Errorf("Hub invalidRows %d, samples %v", n, samples)
		}
		t.Logf("Hub reports the invalid row: %v", samples)
		return nil
	})
}

// databaseDown: with MariaDB stopped nothing is deleted and the Hub says why; once it is back
// the Hub syncs again.
func databaseDown(t *testing.T, s *suite) {
	s.waitFor(t, 30*time.Second, "Hub synced before the database stops", func() error {
		if hub := s.get(t, hubGVK, tenantsNS, hubName); !conditionIs(hub, "Synced", "True") {
			return fmt.Errorf("Hub %s", conditionsText(hub))
		}
		return nil
	})
	// A claim deleted during the outage would be back by the end with a new UID.
	uids := s.claimUIDs(t, otherTenants)
	stopped := time.Now() // mariadbd takes a moment to shut down; the Hub may notice meanwhile.
	s.db.Stop()
	var why string
	s.waitFor(t, time.Minute, "Hub reports the database down", func() error {
		hub := s.get(t, hubGVK, tenantsNS, hubName)
		if !conditionIs(hub, "Synced", "False") {
			return fmt.Errorf("Hub %s", conditionsText(hub))
		}
		why = conditionsText(hub)
		return nil
	})
	s.timings.add("MariaDB stopped → Hub condition", time.Since(stopped))
	t.Logf("Hub while MariaDB is down: %s", why)
	s.checkClaimsKept(t, otherTenants, uids)

	if err := s.db.Restart(s.ctx); err != nil {
		t.Fatalf("restart MariaDB: %v", err)
	}
	back := time.Now()
	s.waitFor(t, time.Minute, "Hub syncs again", func() error {
		hub := s.get(t, hubGVK, tenantsNS, hubName)
		if !conditionIs(hub, "Synced", "True") {
			return fmt.Errorf("Hub %s", conditionsText(hub))
		}
		return nil
	})
	s.timings.add("MariaDB restarted → Hub synced", time.Since(back))
	// Synced=True after Synced=False is a sync that read the table after the restart: every
	// sync of the outage is over, and none of them deleted or replaced a claim.
	s.checkClaimsKept(t, otherTenants, uids)
	for _, uid := range otherTenants {
		if err := s.tenantReady(t, uid); err != nil {
			t.Error(err)
		}
	}
}

// deleteHubOrphan: the example's Hub has deletion.policy Orphan: deleting it leaves the claims.
func deleteHubOrphan(t *testing.T, s *suite) {
	uids := s.claimUIDs(t, otherTenants)
	hub := s.get(t, hubGVK, tenantsNS, hubName)
	if err := s.c.Delete(s.ctx, hub); err != nil {
		t.Fatalf("delete Hub: %v", err)
	}
	s.waitFor(t, time.Minute, "Hub deleted", func() error {
		if s.get(t, hubGVK, tenantsNS, hubName) != nil {
			return fmt.Errorf("Hub still there")
		}
		return nil
	})
	// The Hub is gone only after its finalizer released every claim, so the provider is done
	// with them; what could still delete them is the garbage collector, which only collects
	// objects whose owner references name a gone owner.
	s.checkClaimsKept(t, otherTenants, uids)
	for _, uid := range otherTenants {
		c := s.get(t, claimGVK, tenantsNS, uid)
		if c == nil {
			continue // checkClaimsKept reported it.
		}
		if from := c.GetAnnotations()[v1alpha1.AnnotationOrphanedFrom]; from != tenantsNS+"/"+hubName {
			t.Errorf("claim %s: annotation %s = %q, want %q", uid, v1alpha1.AnnotationOrphanedFrom, from, tenantsNS+"/"+hubName)
		}
		for _, ref := range c.GetOwnerReferences() {
			if ref.UID == hub.GetUID() {
				t.Errorf("claim %s is owned by the deleted Hub: the garbage collector will delete it", uid)
			}
		}
	}
}

// claimUIDs returns the UID of each tenant's claim, failing when one is missing.
func (s *suite) claimUIDs(t *testing.T, uids []string) map[string]types.UID {
	t.Helper()
	out := map[string]types.UID{}
	for _, uid := range uids {
		c := s.get(t, claimGVK, tenantsNS, uid)
		if c == nil {
			t.Fatalf("claim %s missing", uid)
		}
		out[uid] = c.GetUID()
	}
	return out
}

// checkClaimsKept fails the test when a claim is gone, being deleted, or replaced by one with
// another UID than before.
func (s *suite) checkClaimsKept(t *testing.T, uids []string, before map[string]types.UID) {
	t.Helper()
	for _, uid := range uids {
		c := s.get(t, claimGVK, tenantsNS, uid)
		switch {
		case c == nil:
			t.Errorf("claim %s was deleted", uid)
		case c.GetDeletionTimestamp() != nil:
			t.Errorf("claim %s is being deleted", uid)
		case c.GetUID() != before[uid]:
			t.Errorf("claim %s was deleted and created again: UID %s, before %s", uid, c.GetUID(), before[uid])
		}
	}
	var list unstructured.UnstructuredList
	list.SetGroupVersionKind(claimGVK.GroupVersion().WithKind("NodeDatabaseList"))
	if err := s.c.List(s.ctx, &list, client.InNamespace(tenantsNS)); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d claims in %s", len(list.Items), tenantsNS)
}
