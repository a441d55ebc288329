//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/stack"
)

var (
	claimGVK  = stack.ClaimGVK
	deployGVK = stack.DeploymentGVK
	compGVK   = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1", Kind: "Composition"}
)

// get returns the object, or nil when it does not exist.
func (s *suite) get(t *testing.T, gvk schema.GroupVersionKind, ns, name string) *unstructured.Unstructured {
	t.Helper()
	u, err := stack.Get(s.ctx, s.c, gvk, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// objects reads a tenant's objects (see stack.ReadTenant).
func (s *suite) objects(t *testing.T, uid string) stack.Tenant {
	t.Helper()
	o, err := stack.ReadTenant(s.ctx, s.c, uid)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// conditionIs reports whether u has the condition with the status.
func conditionIs(u *unstructured.Unstructured, cond, status string) bool {
	return stack.ConditionIs(u, cond, status)
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
	return s.objects(t, uid).Ready()
}

// tenantGone returns nil when nothing of the tenant is left in the API server.
func (s *suite) tenantGone(t *testing.T, uid string) error {
	return s.objects(t, uid).Gone()
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
