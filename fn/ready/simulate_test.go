package ready

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestSimulate proves every kind Check knows becomes ready with the status Simulate writes.
func TestSimulate(t *testing.T) {
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
			if before := Check(u); before.Ready && name != "ConfigMap" && name != "DeploymentZero" {
				t.Fatalf("%s must not be ready before Simulate, for the test to prove anything", name)
			}
			if got := Check(Simulate(u)); !got.Ready {
				t.Errorf("Check(Simulate(%s)) is not ready: %s", name, got.Reason)
			}
		})
	}
}
