package ready

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func deployment(o *unstructured.Unstructured) Status {
	if s, ok := generationSeen(o); !ok {
		return s
	}
	want := integerOr(o, 1, "spec", "replicas")
	counts := []struct {
		name string
		got  int64
	}{
		{"updated", integerOr(o, 0, "status", "updatedReplicas")},
		{"ready", integerOr(o, 0, "status", "readyReplicas")},
		{"available", integerOr(o, 0, "status", "availableReplicas")},
	}
	for _, c := range counts {
		if c.got != want {
			return Status{Reason: fmt.Sprintf("%d of %d replicas %s", c.got, want, c.name)}
		}
	}
	// Old pods still terminating or surging show up in status.replicas.
	if total := integerOr(o, 0, "status", "replicas"); total > want {
		return Status{Reason: fmt.Sprintf("%d old replicas pending termination", total-want)}
	}
	if want == 0 {
		return Status{Ready: true}
	}
	return conditionTrue("Available")(o)
}

func statefulSet(o *unstructured.Unstructured) Status {
	if s, ok := generationSeen(o); !ok {
		return s
	}
	want := integerOr(o, 1, "spec", "replicas")
	if got := integerOr(o, 0, "status", "readyReplicas"); got != want {
		return Status{Reason: fmt.Sprintf("%d of %d replicas ready", got, want)}
	}
	if t, _, _ := unstructured.NestedString(o.Object, "spec", "updateStrategy", "type"); t == "OnDelete" {
		return Status{Ready: true}
	}
	if got := integerOr(o, 0, "status", "updatedReplicas"); got != want {
		return Status{Reason: fmt.Sprintf("%d of %d replicas updated", got, want)}
	}
	cur, _, _ := unstructured.NestedString(o.Object, "status", "currentRevision")
	upd, _, _ := unstructured.NestedString(o.Object, "status", "updateRevision")
	if upd != "" && cur != upd {
		return Status{Reason: fmt.Sprintf("rolling out revision %s", upd)}
	}
	return Status{Ready: true}
}

func daemonSet(o *unstructured.Unstructured) Status {
	if s, ok := generationSeen(o); !ok {
		return s
	}
	want := integerOr(o, 0, "status", "desiredNumberScheduled")
	counts := []struct {
		name string
		got  int64
	}{
		{"updated", integerOr(o, 0, "status", "updatedNumberScheduled")},
		{"available", integerOr(o, 0, "status", "numberAvailable")},
	}
	for _, c := range counts {
		if c.got != want {
			return Status{Reason: fmt.Sprintf("%d of %d pods %s", c.got, want, c.name)}
		}
	}
	return Status{Ready: true}
}

func job(o *unstructured.Unstructured) Status {
	if c, ok := condition(o, "Failed"); ok && c.status == "True" {
		return Status{Failed: true, Reason: "job failed: " + c.describe()}
	}
	if c, ok := condition(o, "Complete"); ok && c.status == "True" {
		return Status{Ready: true}
	}
	return Status{Reason: "job has not completed"}
}
