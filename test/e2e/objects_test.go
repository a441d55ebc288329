//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/test/controlplane"
	"github.com/rowplane/rowplane/test/standin"
)

var (
	claimGVK  = schema.GroupVersionKind{Group: "example.rowplane.io", Version: "v1alpha1", Kind: "NodeDatabase"}
	xrGVK     = schema.GroupVersionKind{Group: "example.rowplane.io", Version: "v1alpha1", Kind: "XNodeDatabase"}
	nsGVK     = schema.GroupVersionKind{Version: "v1", Kind: "Namespace"}
	deployGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
	compGVK   = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1", Kind: "Composition"}
)

// tenantObjects are everything one row leads to; nil where the object does not exist.
type tenantObjects struct {
	claim, xr, ns, rds, app *unstructured.Unstructured
}

// get returns the object, or nil when it does not exist.
func (s *suite) get(t *testing.T, gvk schema.GroupVersionKind, ns, name string) *unstructured.Unstructured {
	t.Helper()
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(gvk)
	err := s.c.Get(s.ctx, client.ObjectKey{Namespace: ns, Name: name}, u)
	if kerrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatalf("get %s %s/%s: %v", gvk.Kind, ns, name, err)
	}
	return u
}

// objects reads a tenant's objects. The Deployment is read before the RDS instance, so an
// app seen with an RDS instance not Ready means the order was broken (readiness only grows).
func (s *suite) objects(t *testing.T, uid string) tenantObjects {
	t.Helper()
	var o tenantObjects
	o.claim = s.get(t, claimGVK, tenantsNS, uid)
	if o.claim != nil {
		if ref, _, _ := unstructured.NestedString(o.claim.Object, "spec", "resourceRef", "name"); ref != "" {
			o.xr = s.get(t, xrGVK, "", ref)
		}
	}
	o.app = s.get(t, deployGVK, "node-"+uid, uid+"-app")
	o.ns = s.get(t, nsGVK, "", "node-"+uid)
	o.rds = s.get(t, standin.RDSInstanceGVK, "", uid+"-postgres")
	return o
}

// conditionIs reports whether u has the condition with the status.
func conditionIs(u *unstructured.Unstructured, cond, status string) bool {
	return u != nil && controlplane.Condition(u, cond)["status"] == status
}

// waitFor polls f until it returns nil and fails the test with f's last error on timeout.
func (s *suite) waitFor(t *testing.T, timeout time.Duration, what string, f func() error) time.Duration {
	t.Helper()
	start := time.Now()
	if err := controlplane.Eventually(s.ctx, timeout, 100*time.Millisecond, f); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return time.Since(start)
}

// tenantReady returns nil when the tenant's claim is Ready with every composed object present.
func (s *suite) tenantReady(t *testing.T, uid string) error {
	o := s.objects(t, uid)
	switch {
	case o.claim == nil:
		return fmt.Errorf("no claim %s", uid)
	case o.xr == nil || o.ns == nil || o.rds == nil || o.app == nil:
		return fmt.Errorf("%s: composed objects missing (xr %t, namespace %t, rds %t, app %t)", uid, o.xr != nil, o.ns != nil, o.rds != nil, o.app != nil)
	case !conditionIs(o.claim, "Ready", "True"):
		return fmt.Errorf("claim %s not Ready: %v", uid, controlplane.Condition(o.claim, "Ready"))
	}
	return nil
}

// tenantGone returns nil when nothing of the tenant is left in the API server.
func (s *suite) tenantGone(t *testing.T, uid string) error {
	o := s.objects(t, uid)
	var left []string
	for name, u := range map[string]*unstructured.Unstructured{"claim": o.claim, "xr": o.xr, "namespace": o.ns, "deployment": o.app, "rds": o.rds} {
		if u != nil {
			left = append(left, name)
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("%s: still there: %s", uid, strings.Join(left, ", "))
	}
	return nil
}

// conditionsText renders an object's conditions for messages.
func conditionsText(u *unstructured.Unstructured) string {
	if u == nil {
		return "<none>"
	}
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	var b strings.Builder
	for _, c := range conds {
		m, _ := c.(map[string]any)
		fmt.Fprintf(&b, "[%v=%v %v: %v] ", m["type"], m["status"], m["reason"], m["message"])
	}
	return b.String()
}
