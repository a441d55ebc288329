// Package settled writes the status a controller would report once an object has settled.
// It stands in for controllers that do not run: `function-rowplane simulate` and the dev
// stack's control plane, which has no kubelet and no cloud. Whether an object is ready is
// decided by fn/ready alone; this package only produces statuses that pass its Check.
package settled

import (
	"encoding/base64"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/rowplane/rowplane/fn/policy"
	"github.com/rowplane/rowplane/fn/ready"
)

// Status returns a copy of o with the status a healthy controller would report, the
// smallest status ready.Check accepts as ready.
func Status(o *unstructured.Unstructured) *unstructured.Unstructured {
	out := o.DeepCopy()
	set := func(v any, path ...string) { _ = unstructured.SetNestedField(out.Object, v, path...) }
	if policy.IsWrapper(out) {
		// provider-kubernetes reports the object it applied, settled, and its own conditions.
		if w := policy.Wrapped(out); w != nil {
			policy.SetUnwrapped(out, Status(w))
		}
		set(conditions("Ready", "Synced"), "status", "conditions")
		return out
	}
	gk := out.GroupVersionKind().GroupKind()
	generation := out.GetGeneration()
	if generation == 0 {
		generation = 1
		out.SetGeneration(1)
	}
	replicas, found, _ := unstructured.NestedFieldNoCopy(out.Object, "spec", "replicas")
	want := int64(1)
	if found {
		if n, ok := asInt(replicas); ok {
			want = n
		}
	}
	switch gk {
	case schema.GroupKind{Group: "apps", Kind: "Deployment"}:
		set(generation, "status", "observedGeneration")
		for _, f := range []string{"replicas", "updatedReplicas", "readyReplicas", "availableReplicas"} {
			set(want, "status", f)
		}
		set(conditions("Available"), "status", "conditions")
	case schema.GroupKind{Group: "apps", Kind: "StatefulSet"}:
		set(generation, "status", "observedGeneration")
		for _, f := range []string{"replicas", "updatedReplicas", "readyReplicas", "availableReplicas"} {
			set(want, "status", f)
		}
		set("rev-1", "status", "currentRevision")
		set("rev-1", "status", "updateRevision")
	case schema.GroupKind{Group: "apps", Kind: "DaemonSet"}:
		set(generation, "status", "observedGeneration")
		for _, f := range []string{"desiredNumberScheduled", "updatedNumberScheduled", "numberAvailable", "numberReady"} {
			set(int64(1), "status", f)
		}
	case schema.GroupKind{Group: "batch", Kind: "Job"}:
		set(conditions("Complete"), "status", "conditions")
	case schema.GroupKind{Kind: "Namespace"}:
		set("Active", "status", "phase")
	case schema.GroupKind{Kind: "PersistentVolumeClaim"}:
		set("Bound", "status", "phase")
	case schema.GroupKind{Kind: "Service"}:
		if t, _, _ := unstructured.NestedString(out.Object, "spec", "type"); t == "LoadBalancer" {
			set([]any{map[string]any{"ip": "192.0.2.10"}}, "status", "loadBalancer", "ingress")
		}
	case schema.GroupKind{Group: "networking.k8s.io", Kind: "Ingress"}:
		// 192.0.2.0/24 is reserved for documentation: nothing real answers there.
		set([]any{map[string]any{"ip": "192.0.2.10"}}, "status", "loadBalancer", "ingress")
	case schema.GroupKind{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}:
		set(conditions("AbleToScale"), "status", "conditions")
	case schema.GroupKind{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}:
		set(conditions("Established"), "status", "conditions")
	case schema.GroupKind{Kind: "Secret"}:
		// The API server stores stringData base64-encoded under data.
		if sd, ok, _ := unstructured.NestedStringMap(out.Object, "stringData"); ok {
			data, _, _ := unstructured.NestedMap(out.Object, "data")
			if data == nil {
				data = map[string]any{}
			}
			for k, v := range sd {
				data[k] = base64.StdEncoding.EncodeToString([]byte(v))
			}
			set(data, "data")
			unstructured.RemoveNestedField(out.Object, "stringData")
		}
	default:
		if readyWithoutStatus(out) {
			return out
		}
		set(conditions("Ready", "Synced"), "status", "conditions")
	}
	return out
}

// readyWithoutStatus reports whether ready.Check calls o's kind ready by existing alone
// (ConfigMap, RBAC, ...): such kinds carry no status to write. It asks Check about a
// status-less managed resource of the kind, which the generic rule never calls ready, so
// the list of such kinds stays in fn/ready only.
func readyWithoutStatus(o *unstructured.Unstructured) bool {
	probe := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{"forProvider": map[string]any{}}}}
	probe.SetGroupVersionKind(o.GroupVersionKind())
	return ready.Check(probe).Ready
}

func conditions(types ...string) []any {
	out := make([]any, 0, len(types))
	for _, t := range types {
		out = append(out, map[string]any{"type": t, "status": "True", "reason": "Simulated"})
	}
	return out
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	}
	return 0, false
}
