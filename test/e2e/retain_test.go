//go:build e2e

package e2e

import (
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/rowplane/rowplane/internal/devstack/stack"
	"github.com/rowplane/rowplane/internal/devstack/tool"
)

var pvcGVK = schema.GroupVersionKind{Version: "v1", Kind: "PersistentVolumeClaim"}

// retainPlainObject: the web-app example's data volume is a PersistentVolumeClaim with
// deletionPolicy Retain and no targetNamespace. The real provider-kubernetes creates it in the
// WebApp's namespace from its Object wrapper, and after the WebApp is deleted, and with it the
// wrapper, the same claim (same UID) is still there.
func retainPlainObject(t *testing.T, s *suite) {
	bin := tool.Require(t, "ROWPLANE_PROVIDER_KUBERNETES", "provider-kubernetes")
	start := time.Now()
	proc, err := stack.StartProviderKubernetes(s.ctx, s.cp, bin)
	if err != nil {
		t.Fatal(err)
	}
	ns := "webapp-" + randomHex(3)
	xr, err := stack.ApplyWebApp(s.ctx, s.cp, repoRoot(t), ns)
	if err != nil {
		t.Fatal(err)
	}
	s.timings.add("provider-kubernetes and the web-app example installed", time.Since(start))

	const pvcName = "initech-data"
	wrapper := "persistentvolumeclaim-" + pvcName
	applied := time.Now()
	var pvc *unstructured.Unstructured
	s.waitFor(t, time.Minute, "provider-kubernetes creates the retained PersistentVolumeClaim", func() error {
		if ended, err := proc.Exited(); ended {
			t.Fatalf("provider-kubernetes exited: %v\n%s", err, proc.Tail(3000))
		}
		pvc = s.get(t, pvcGVK, ns, pvcName)
		if pvc == nil {
			return fmt.Errorf("no PersistentVolumeClaim %s/%s; Object %s", ns, pvcName, conditionsText(s.get(t, stack.ObjectGVK, ns, wrapper)))
		}
		// The wrapper reports the object it manages: the one found, not a look-alike.
		obj := s.get(t, stack.ObjectGVK, ns, wrapper)
		if uid, _, _ := unstructured.NestedString(obj.Object, "status", "atProvider", "manifest", "metadata", "uid"); uid != string(pvc.GetUID()) {
			return fmt.Errorf("Object %s/%s reports uid %q, the claim has %q", ns, wrapper, uid, pvc.GetUID())
		}
		return nil
	})
	s.timings.add("WebApp applied → retained PVC created by provider-kubernetes", time.Since(applied))
	if refs := pvc.GetOwnerReferences(); len(refs) > 0 {
		t.Errorf("the retained PersistentVolumeClaim has owners %v: garbage collection would delete it with them", refs)
	}
	uid := pvc.GetUID()

	deleted := time.Now()
	if err := s.c.Delete(s.ctx, xr); err != nil {
		t.Fatalf("delete WebApp: %v", err)
	}
	s.waitFor(t, 2*time.Minute, "WebApp and its Object wrapper are gone", func() error {
		if s.get(t, xr.GroupVersionKind(), ns, xr.GetName()) != nil {
			return fmt.Errorf("WebApp %s/%s still there", ns, xr.GetName())
		}
		if o := s.get(t, stack.ObjectGVK, ns, wrapper); o != nil {
			return fmt.Errorf("Object %s/%s still there: %s", ns, wrapper, conditionsText(o))
		}
		return nil
	})
	s.timings.add("WebApp deleted → WebApp and Object gone", time.Since(deleted))
	after := s.get(t, pvcGVK, ns, pvcName)
	switch {
	case after == nil:
		t.Fatalf("the retained PersistentVolumeClaim %s/%s was deleted with its WebApp", ns, pvcName)
	case after.GetUID() != uid:
		t.Errorf("PersistentVolumeClaim %s/%s was re-created: uid %s before, %s after", ns, pvcName, uid, after.GetUID())
	case after.GetDeletionTimestamp() != nil:
		t.Errorf("PersistentVolumeClaim %s/%s is being deleted", ns, pvcName)
	}
	t.Logf("retained PersistentVolumeClaim %s/%s: uid %s before the WebApp's deletion, %s after", ns, pvcName, uid, after.GetUID())
}
