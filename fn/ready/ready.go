// Package ready decides whether an observed object is ready, kind by kind.
//
// Check knows the built-in Kubernetes kinds a Form usually renders and falls back to the
// Crossplane convention, a Ready condition, for everything else. The rules, in short:
//
//   - Deployment: the controller has seen the current generation and updated, ready and
//     available replicas all equal spec.replicas (default 1). Zero replicas is ready: a
//     scaled-to-zero tenant is not broken. A replica count of 1+ also needs Available=True.
//   - StatefulSet: current generation seen, ready and updated replicas equal spec.replicas,
//     and for RollingUpdate the current revision is the update revision.
//   - DaemonSet: current generation seen, every scheduled pod updated and available.
//   - Job: Complete=True is ready, Failed=True is failed (it will not recover on its own).
//   - Namespace: phase Active. PersistentVolumeClaim: phase Bound (a claim of a
//     WaitForFirstConsumer class stays Pending until a pod mounts it; give such a claim
//     waitForReady: false). Service: ready, except type LoadBalancer which needs an ingress
//     address. Ingress: needs a load balancer address. HorizontalPodAutoscaler: AbleToScale=True
//     (autoscaling/v1 has no conditions, so it is ready once it exists).
//     CustomResourceDefinition: Established=True.
//   - Kinds without a status worth waiting for (ConfigMap, Secret, ServiceAccount, CronJob,
//     RBAC, PodDisruptionBudget, NetworkPolicy, ...): ready once they exist.
//   - Any other kind with a Ready condition: that condition decides.
//   - Any other kind without a Ready condition: a managed resource (it has spec.forProvider)
//     is not ready, because its provider has not reported yet; any other custom resource is
//     ready, because many CRs never write status and waiting for them would wait forever.
//     Give such a resource a readyWhen expression when that guess is wrong.
//
// Numbers are read whether they arrive as int64 (decoded JSON or YAML) or float64 (decoded
// from the protobuf Struct of a RunFunctionRequest).
package ready

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Status is the readiness of one observed object.
type Status struct {
	// Ready is true when the object does what it is for.
	Ready bool
	// Failed is true when the object reports a terminal failure, e.g. a failed Job.
	Failed bool
	// Reason says why the object is not ready or failed, in a few words; empty when ready.
	Reason string
}

// A checker decides readiness for one kind.
type checker func(o *unstructured.Unstructured) Status

// isAlwaysReady reports whether existence is all there is to wait for with kind gk.
func isAlwaysReady(gk schema.GroupKind) bool {
	switch gk.Group {
	case "":
		switch gk.Kind {
		case "ConfigMap", "Secret", "ServiceAccount", "Endpoints", "LimitRange", "ResourceQuota":
			return true
		}
	case "batch":
		return gk.Kind == "CronJob"
	case "policy":
		return gk.Kind == "PodDisruptionBudget"
	case "networking.k8s.io":
		return gk.Kind == "NetworkPolicy" || gk.Kind == "IngressClass"
	case "rbac.authorization.k8s.io":
		return true
	case "scheduling.k8s.io", "storage.k8s.io", "discovery.k8s.io", "node.k8s.io":
		return true
	}
	return false
}

// checkerFor returns the readiness rule of kind gk.
func checkerFor(gk schema.GroupKind) checker {
	switch gk {
	case schema.GroupKind{Group: "apps", Kind: "Deployment"}:
		return deployment
	case schema.GroupKind{Group: "apps", Kind: "StatefulSet"}:
		return statefulSet
	case schema.GroupKind{Group: "apps", Kind: "DaemonSet"}:
		return daemonSet
	case schema.GroupKind{Group: "batch", Kind: "Job"}:
		return job
	case schema.GroupKind{Kind: "Namespace"}:
		return phase("Active")
	case schema.GroupKind{Kind: "PersistentVolumeClaim"}:
		return phase("Bound")
	case schema.GroupKind{Kind: "Service"}:
		return service
	case schema.GroupKind{Group: "networking.k8s.io", Kind: "Ingress"}, schema.GroupKind{Group: "extensions", Kind: "Ingress"}:
		return ingress
	case schema.GroupKind{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}:
		return hpa
	case schema.GroupKind{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}:
		return conditionTrue("Established")
	}
	if isAlwaysReady(gk) {
		return func(*unstructured.Unstructured) Status { return Status{Ready: true} }
	}
	return generic
}

// Check returns the readiness of the observed object o. A nil object is not ready.
func Check(o *unstructured.Unstructured) Status {
	if o == nil {
		return Status{Reason: "not observed yet"}
	}
	return checkerFor(o.GroupVersionKind().GroupKind())(o)
}

// generic applies the Crossplane convention: the Ready condition decides; without one, a
// managed resource is not ready and any other object is.
func generic(o *unstructured.Unstructured) Status {
	if c, ok := condition(o, "Ready"); ok {
		if c.status == "True" {
			return Status{Ready: true}
		}
		return Status{Reason: c.describe()}
	}
	if _, isMR, _ := unstructured.NestedFieldNoCopy(o.Object, "spec", "forProvider"); isMR {
		return Status{Reason: "managed resource has no Ready condition yet"}
	}
	return Status{Ready: true}
}

func phase(want string) checker {
	return func(o *unstructured.Unstructured) Status {
		got, _, _ := unstructured.NestedString(o.Object, "status", "phase")
		if got == want {
			return Status{Ready: true}
		}
		if got == "" {
			return Status{Reason: fmt.Sprintf("phase not reported yet, want %s", want)}
		}
		return Status{Reason: fmt.Sprintf("phase is %s, want %s", got, want)}
	}
}

func conditionTrue(typ string) checker {
	return func(o *unstructured.Unstructured) Status {
		c, ok := condition(o, typ)
		if !ok {
			return Status{Reason: fmt.Sprintf("no %s condition yet", typ)}
		}
		if c.status != "True" {
			return Status{Reason: c.describe()}
		}
		return Status{Ready: true}
	}
}

func service(o *unstructured.Unstructured) Status {
	if t, _, _ := unstructured.NestedString(o.Object, "spec", "type"); t != "LoadBalancer" {
		return Status{Ready: true}
	}
	return loadBalancerIngress(o)
}

func ingress(o *unstructured.Unstructured) Status { return loadBalancerIngress(o) }

func loadBalancerIngress(o *unstructured.Unstructured) Status {
	ing, _, _ := unstructured.NestedSlice(o.Object, "status", "loadBalancer", "ingress")
	if len(ing) == 0 {
		return Status{Reason: "no load balancer address yet"}
	}
	return Status{Ready: true}
}

func hpa(o *unstructured.Unstructured) Status {
	if o.GroupVersionKind().Version == "v1" {
		return Status{Ready: true}
	}
	return conditionTrue("AbleToScale")(o)
}
