package stack

import (
	"context"
	"fmt"
	"strings"

	"github.com/pkg/errors"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/standin"
)

// A Tenant is everything one row leads to; nil where the object does not exist.
type Tenant struct {
	UID                     string
	Claim, XR, NS, RDS, App *unstructured.Unstructured
}

// Get returns the object, or nil when it does not exist.
func Get(ctx context.Context, c client.Client, gvk schema.GroupVersionKind, ns, name string) (*unstructured.Unstructured, error) {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(gvk)
	err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, u)
	if kerrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, errors.Wrapf(err, "get %s %s/%s", gvk.Kind, ns, name)
	}
	return u, nil
}

// ReadTenant reads a tenant's objects. The Deployment is read before the RDS instance, so an
// app seen with an RDS instance not Ready means the order was broken (readiness only grows).
func ReadTenant(ctx context.Context, c client.Client, uid string) (Tenant, error) {
	t := Tenant{UID: uid}
	var err error
	get := func(gvk schema.GroupVersionKind, ns, name string) *unstructured.Unstructured {
		if err != nil {
			return nil
		}
		var u *unstructured.Unstructured
		u, err = Get(ctx, c, gvk, ns, name)
		return u
	}
	t.Claim = get(ClaimGVK, TenantsNS, uid)
	if t.Claim != nil {
		if ref, _, _ := unstructured.NestedString(t.Claim.Object, "spec", "resourceRef", "name"); ref != "" {
			t.XR = get(XRGVK, "", ref)
		}
	}
	t.App = get(DeploymentGVK, "node-"+uid, uid+"-app")
	t.NS = get(NamespaceGVK, "", "node-"+uid)
	t.RDS = get(standin.RDSInstanceGVK, "", uid+"-postgres")
	return t, err
}

// Ready returns nil when the tenant's claim is Ready with every composed object present.
func (t Tenant) Ready() error {
	switch {
	case t.Claim == nil:
		return fmt.Errorf("no claim %s", t.UID)
	case t.XR == nil || t.NS == nil || t.RDS == nil || t.App == nil:
		return fmt.Errorf("%s: composed objects missing (xr %t, namespace %t, rds %t, app %t)", t.UID, t.XR != nil, t.NS != nil, t.RDS != nil, t.App != nil)
	case !ConditionIs(t.Claim, "Ready", "True"):
		return fmt.Errorf("claim %s not Ready: %v", t.UID, controlplane.Condition(t.Claim, "Ready"))
	}
	return nil
}

// Gone returns nil when nothing of the tenant is left in the API server.
func (t Tenant) Gone() error {
	var left []string
	for _, o := range []struct {
		name string
		u    *unstructured.Unstructured
	}{{"claim", t.Claim}, {"xr", t.XR}, {"namespace", t.NS}, {"deployment", t.App}, {"rds", t.RDS}} {
		if o.u != nil {
			left = append(left, o.name)
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("%s: still there: %s", t.UID, strings.Join(left, ", "))
	}
	return nil
}

// ConditionIs reports whether u has the condition with the status.
func ConditionIs(u *unstructured.Unstructured, cond, status string) bool {
	return u != nil && controlplane.Condition(u, cond)["status"] == status
}
