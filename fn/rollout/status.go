package rollout

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/fn/policy"
)

// Status is the per-tenant status the function writes on the composite resource, e.g. under
// status.rowplane. Counts mirror LynqNode's; Resources names every resource with its GVK,
// which Lynq's appliedResources lacked.
type Status struct {
	DesiredResources int              `json:"desiredResources"`
	ReadyResources   int              `json:"readyResources"`
	FailedResources  int              `json:"failedResources"`
	SkippedResources int              `json:"skippedResources"`
	WaitingResources int              `json:"waitingResources"`
	Resources        []ResourceStatus `json:"resources,omitempty"`
}

// ResourceStatus is one resource's line in Status.
type ResourceStatus struct {
	ID         string `json:"id"`
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	Phase      Phase  `json:"phase"`
	Reason     string `json:"reason,omitempty"`
}

// Summary returns a one-line summary for a condition message, e.g.
// "3 of 5 resources ready, 1 waiting, 1 failed (rds-instance)".
func (s Status) Summary() string {
	parts := []string{fmt.Sprintf("%d of %d resources ready", s.ReadyResources, s.DesiredResources)}
	for _, c := range []struct {
		n     int
		phase Phase
		word  string
	}{
		{s.WaitingResources, PhaseWaiting, "waiting"},
		{s.FailedResources, PhaseFailed, "failed"},
		{s.SkippedResources, PhaseSkipped, "skipped"},
	} {
		if c.n == 0 {
			continue
		}
		var ids []string
		for _, r := range s.Resources {
			if r.Phase == c.phase {
				ids = append(ids, r.ID)
			}
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s)", c.n, c.word, strings.Join(ids, ", ")))
	}
	return strings.Join(parts, ", ")
}

func status(items []Item, ds []Decision) Status {
	s := Status{DesiredResources: len(items), Resources: make([]ResourceStatus, 0, len(items))}
	for i, d := range ds {
		switch d.Phase {
		case PhaseReady:
			s.ReadyResources++
		case PhaseFailed:
			s.FailedResources++
		case PhaseSkipped:
			s.SkippedResources++
		case PhaseWaiting:
			s.WaitingResources++
		}
		rs := ResourceStatus{ID: d.ID, Phase: d.Phase, Reason: d.Reason}
		if o := identity(&items[i]); o != nil {
			rs.APIVersion, rs.Kind = o.GetAPIVersion(), o.GetKind()
			rs.Namespace, rs.Name = o.GetNamespace(), o.GetName()
		}
		s.Resources = append(s.Resources, rs)
	}
	return s
}

// identity returns the object whose GVK and name the status shows: the live object when
// observed (Crossplane keeps observed names), else the rendered one, unwrapped from a
// Retain wrapper either way.
func identity(it *Item) *unstructured.Unstructured {
	if it.Observed != nil {
		return it.Observed
	}
	if w := policy.Wrapped(it.Desired); w != nil {
		return w
	}
	return it.Desired
}
