package settled

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/fn/ready"
)

// TestStatus proves every kind ready.Check knows becomes ready with the status Status writes.
func TestStatus(t *testing.T) {
	t.Parallel()
	objs := map[string]map[string]any{
		"Deployment":      {"apiVersion": "apps/v1", "kind": "Deployment", "spec": map[string]any{"replicas": int64(3)}},
		"DeploymentZero":  {"apiVersion": "apps/v1", "kind": "Deployment", "spec": map[string]any{"replicas": int64(0)}},
		"StatefulSet":     {"apiVersion": "apps/v1", "kind": "StatefulSet", "spec": map[string]any{"replicas": float64(2)}},
		"DaemonSet":       {"apiVersion": "apps/v1", "kind": "DaemonSet"},
		"Job":             {"apiVersion": "batch/v1", "kind": "Job"},
		"Namespace":       {"apiVersion": "v1", "kind": "Namespace"},
		"PVC":             {"apiVersion": "v1", "kind": "PersistentVolumeClaim"},
		"LoadBalancer":    {"apiVersion": "v1", "kind": "Service", "spec": map[string]any{"type": "LoadBalancer"}},
		"Ingress":         {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress"},
		"HPA":             {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler"},
		"ManagedResource": {"apiVersion": "database.aws.crossplane.io/v1beta1", "kind": "RDSInstance", "spec": map[string]any{"forProvider": map[string]any{}}},
		"ConfigMap":       {"apiVersion": "v1", "kind": "ConfigMap"},
	}
	for name, o := range objs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := &unstructured.Unstructured{Object: o}
			if before := ready.Check(u); before.Ready && name != "ConfigMap" && name != "DeploymentZero" {
				t.Fatalf("%s must not be ready before Status, for the test to prove anything", name)
			}
			if got := ready.Check(Status(u)); !got.Ready {
				t.Errorf("ready.Check(Status(%s)) is not ready: %s", name, got.Reason)
			}
		})
	}
}

// TestStatusLeavesStatuslessKinds proves kinds ready.Check calls ready by existing alone get
// no status, while every other kind, even a custom resource Check would already call ready,
// gets the Ready and Synced conditions its controller would write.
func TestStatusLeavesStatuslessKinds(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason         string
		obj            map[string]any
		wantConditions bool
	}{
		"ConfigMap": {reason: "a ConfigMap has no status", obj: map[string]any{"apiVersion": "v1", "kind": "ConfigMap"}},
		"Role": {reason: "RBAC kinds have no status",
			obj: map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role"}},
		"CronJob": {reason: "a CronJob is ready once it exists",
			obj: map[string]any{"apiVersion": "batch/v1", "kind": "CronJob"}},
		"CustomResource": {reason: "a custom resource's controller reports Ready and Synced", wantConditions: true,
			obj: map[string]any{"apiVersion": "example.org/v1", "kind": "Widget"}},
		"ExtensionsIngress": {reason: "a kind with its own rule is not status-less", wantConditions: true,
			obj: map[string]any{"apiVersion": "extensions/v1beta1", "kind": "Ingress"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Status(&unstructured.Unstructured{Object: tc.obj})
			_, has, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
			if has != tc.wantConditions {
				t.Errorf("%s: status.conditions present = %v, want %v: %v", tc.reason, has, tc.wantConditions, got.Object["status"])
			}
		})
	}
}
