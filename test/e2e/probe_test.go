//go:build e2e

package e2e

import (
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// mariadbDefaults: the example's Hub and ProviderConfig as shipped, but for the suite's fast
// syncInterval, which this Hub leaves unset (30 s, the default) with the default change
// detection (a probe every second): an insert, an update and a deactivation reach the claim
// through the probe, long before the next full read would.
func mariadbDefaults(t *testing.T, s *suite) {
	// keeper stays active: deleting a Hub's last claim is held back as an empty table.
	const ns, uid, keeper = "tenants-probe", "probe-tenant", "probe-keeper"
	db := newTenantDBAs(t, s, "probe_reader")
	if err := s.c.Create(s.ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	var objs []*unstructured.Unstructured
	for _, o := range append(load(t, "hub/providerconfig.yaml"), load(t, "hub/hub.yaml")...) {
		o.SetNamespace(ns)
		switch {
		case o.GetName() == "mysql-ca":
			continue // the example's CA placeholder.
		case o.GetKind() == "Secret":
			_ = unstructured.SetNestedStringMap(o.Object, map[string]string{"username": db.user, "password": db.password}, "stringData")
		case o.GetKind() == "ProviderConfig":
			_ = unstructured.SetNestedField(o.Object, s.db.Host, "spec", "host")
			_ = unstructured.SetNestedField(o.Object, int64(s.db.Port), "spec", "port")
			_ = unstructured.SetNestedField(o.Object, db.database, "spec", "database")
			_ = unstructured.SetNestedMap(o.Object, map[string]any{"mode": "disabled"}, "spec", "tls")
		case o.GetKind() == "Hub":
			unstructured.RemoveNestedField(o.Object, "spec", "syncInterval")
			unstructured.RemoveNestedField(o.Object, "spec", "changeDetection")
		}
		objs = append(objs, o)
	}
	s.applySyncedHub(t, "the Hub at the default interval", objs)

	const label = "MariaDB (Probe 1s, default 30s): "
	start := time.Now()
	db.exec(t, "INSERT INTO "+db.table()+" (node_id, plan_type) VALUES ('"+uid+"', 'pro'), ('"+keeper+"', 'basic')")
	s.waitFor(t, 20*time.Second, "the inserted row's claim exists", func() error {
		if s.get(t, claimGVK, ns, uid) == nil {
			return fmt.Errorf("no claim %s/%s yet", ns, uid)
		}
		return nil
	})
	s.timings.add(label+"insert → claim", time.Since(start))

	start = time.Now()
	db.exec(t, "UPDATE "+db.table()+" SET plan_type = 'enterprise' WHERE node_id = '"+uid+"'")
	s.waitFor(t, 20*time.Second, "the updated row's claim follows", func() error {
		c := s.get(t, claimGVK, ns, uid)
		if p, _, _ := unstructured.NestedString(c.Object, "spec", "planType"); p != "enterprise" {
			return fmt.Errorf("claim %s/%s planType %q", ns, uid, p)
		}
		return nil
	})
	s.timings.add(label+"UPDATE → claim", time.Since(start))

	start = time.Now()
	db.exec(t, "UPDATE "+db.table()+" SET is_active = FALSE WHERE node_id = '"+uid+"'")
	s.waitFor(t, 20*time.Second, "the deactivated row's claim is deleted", func() error {
		if c := s.get(t, claimGVK, ns, uid); c != nil && c.GetDeletionTimestamp() == nil {
			return fmt.Errorf("claim %s/%s still exists", ns, uid)
		}
		return nil
	})
	s.timings.add(label+"deactivate → deleted", time.Since(start))
}
