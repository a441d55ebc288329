// Package rollout makes the per-reconcile decision for every resource of a tenant: emit it or
// withhold it, and in which phase it is.
//
// The rules:
//   - A resource that exists (is observed) is always emitted. Dropping it from the desired
//     state would make Crossplane delete it, whatever its dependencies do now.
//   - A resource that does not exist yet is emitted only when every dependency is emitted
//     and, for a dependency with waitForReady, observed ready. A dependency that failed
//     makes it Skipped (withheld) when skipOnDependencyFailure is true (the default), and
//     counts as ready otherwise.
//   - Readiness comes from readyWhen (CEL) when set, else from package ready. With
//     waitForReady: false a resource is ready once it exists.
//   - A resource that is not ready timeoutSeconds after it was created, or after its rendered
//     spec last changed, whichever is later, is Failed. So is one whose kind reports a
//     terminal failure (a failed Job).
//
// Decide never reorders: results come in the order of its input, which the caller takes from
// graph.Order, so everything printed is deterministic.
package rollout

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/fn/ready"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// A Phase is where a resource stands in its tenant's rollout.
type Phase string

// Phases.
const (
	// PhaseWaiting means the resource is withheld until its dependencies are ready.
	PhaseWaiting Phase = "Waiting"
	// PhaseApplied means the resource is emitted but not (yet) ready.
	PhaseApplied Phase = "Applied"
	// PhaseReady means the resource exists and is ready.
	PhaseReady Phase = "Ready"
	// PhaseFailed means the resource timed out or reports a terminal failure.
	PhaseFailed Phase = "Failed"
	// PhaseSkipped means the resource is withheld because a dependency failed.
	PhaseSkipped Phase = "Skipped"
)

// An Item is one resource to decide on.
type Item struct {
	// ID is the resource's id, its composed-resource name.
	ID string
	// Resource is the Form entry: dependIds, waitForReady, timeoutSeconds, readyWhen, ...
	Resource v1beta1.Resource
	// Desired is the rendered object after policies (possibly a Retain wrapper).
	Desired *unstructured.Unstructured
	// Observed is the live object, unwrapped from its Retain wrapper, or nil.
	Observed *unstructured.Unstructured
	// Wrapper is the observed Retain wrapper, when there is one. A wrapper that has not
	// reported its object yet leaves Observed nil but still means the resource exists.
	Wrapper *unstructured.Unstructured
	// ObservedCreated is the observed object's creation time (see Created).
	ObservedCreated time.Time
	// LastChanged is when Crossplane last changed the rendered spec (see LastApplied).
	LastChanged time.Time
}

// exists reports whether the resource is part of the live state, wrapped or not.
func (it *Item) exists() bool { return it.Observed != nil || it.Wrapper != nil }

// Input is everything Decide needs.
type Input struct {
	// Items are the resources in graph order: every dependency before its dependents.
	Items []Item
	// Now is the time of this reconcile.
	Now time.Time
	// CEL evaluates readyWhen expressions. It may be nil when no resource has one.
	CEL *ready.CEL
}

// A Decision is what happens to one resource in this reconcile.
type Decision struct {
	ID string
	// Emit says whether the resource is part of the desired state.
	Emit bool
	// Ready is the readiness to report for the emitted resource.
	Ready bool
	Phase Phase
	// Reason explains the phase; empty when Ready.
	Reason string

	// cause is a short reason for dependents' messages, e.g. "timed out after 30m0s".
	cause string
	// waitForReady mirrors the resource's setting for its dependents.
	waitForReady bool
	// exists says whether the resource was observed.
	exists bool
}

// Severity says how a Message should be reported.
type Severity string

// Severities, matching Crossplane's result severities.
const (
	SeverityNormal  Severity = "Normal"
	SeverityWarning Severity = "Warning"
)

// A Message is a human-readable line about one resource, for a function result.
type Message struct {
	Severity Severity
	ID       string
	Text     string
}

// Result is the outcome of Decide.
type Result struct {
	// Decisions are in input order.
	Decisions []Decision
	// Messages say what waits on what, what failed and what was skipped, in input order.
	Messages []Message
	// Status is the per-tenant status to write on the composite resource.
	Status Status
}

// Ready reports whether every resource is emitted and ready, i.e. whether the composite
// resource may be Ready. While anything is withheld or failed it is not.
func (r *Result) Ready() bool {
	for _, d := range r.Decisions {
		if !d.Emit || !d.Ready {
			return false
		}
	}
	return true
}

// Decide decides on every item. It returns an error when two items share an id or an item
// comes before one of its dependencies. A dependency that is not among the items at all (a
// resource left out by includeWhen) does not hold anything back.
func Decide(in Input) (*Result, error) {
	index := make(map[string]int, len(in.Items))
	for i, it := range in.Items {
		if _, dup := index[it.ID]; dup {
			return nil, errors.Errorf("resource %q appears twice", it.ID)
		}
		index[it.ID] = i
	}
	r := &Result{Decisions: make([]Decision, 0, len(in.Items))}
	decided := make(map[string]Decision, len(in.Items))
	for i := range in.Items {
		it := &in.Items[i]
		for _, dep := range it.Resource.DependIDs {
			if j, ok := index[dep]; ok && j > i {
				return nil, errors.Errorf("resource %q comes before its dependency %q: items must be in graph order", it.ID, dep)
			}
		}
		var d Decision
		if it.exists() {
			d = decideExisting(in, it)
		} else {
			d = decideNew(it, decided)
		}
		d.ID = it.ID
		d.waitForReady = it.Resource.GetWaitForReady()
		d.exists = it.exists()
		decided[it.ID] = d
		r.Decisions = append(r.Decisions, d)
		if m, ok := message(d); ok {
			r.Messages = append(r.Messages, m)
		}
	}
	r.Status = status(in.Items, r.Decisions)
	return r, nil
}

// decideExisting decides on a resource that exists: it is always emitted.
func decideExisting(in Input, it *Item) Decision {
	st := readiness(in, it)
	switch {
	case st.Ready:
		return Decision{Emit: true, Ready: true, Phase: PhaseReady}
	case st.Failed:
		return Decision{Emit: true, Phase: PhaseFailed, Reason: st.Reason, cause: st.Reason}
	}
	if start := latest(it.ObservedCreated, it.LastChanged); !start.IsZero() {
		if limit := it.Resource.GetTimeout(); in.Now.Sub(start) > limit {
			cause := fmt.Sprintf("timed out after %s", limit)
			return Decision{Emit: true, Phase: PhaseFailed, Reason: cause + " waiting for readiness: " + st.Reason, cause: cause}
		}
	}
	return Decision{Emit: true, Phase: PhaseApplied, Reason: st.Reason}
}

// readiness returns the readiness of an existing resource.
func readiness(in Input, it *Item) ready.Status {
	if !it.Resource.GetWaitForReady() {
		return ready.Status{Ready: true}
	}
	if it.Observed == nil {
		return ready.Status{Reason: "wrapped object not reported by provider-kubernetes yet"}
	}
	if expr := it.Resource.ReadyWhen; expr != "" {
		if in.CEL == nil {
			return ready.Status{Reason: "readyWhen set but no CEL evaluator given"}
		}
		ok, err := in.CEL.Eval(expr, it.Observed)
		switch {
		case err != nil:
			return ready.Status{Reason: err.Error()}
		case !ok:
			return ready.Status{Reason: fmt.Sprintf("readyWhen %q is false", expr)}
		}
		return ready.Status{Ready: true}
	}
	return ready.Check(it.Observed)
}

// decideNew decides on a resource that does not exist yet from its dependencies' decisions.
func decideNew(it *Item, decided map[string]Decision) Decision {
	var waits, failed []string
	for _, id := range sortedUnique(it.Resource.DependIDs) {
		dep, ok := decided[id]
		if !ok {
			continue
		}
		switch {
		case dep.Phase == PhaseFailed:
			if it.Resource.GetSkipOnDependencyFailure() {
				failed = append(failed, fmt.Sprintf("%s failed (%s)", id, dep.cause))
			}
		case dep.Phase == PhaseSkipped:
			if it.Resource.GetSkipOnDependencyFailure() {
				failed = append(failed, id+" skipped")
			} else {
				waits = append(waits, id+" (skipped)")
			}
		case !dep.Emit:
			waits = append(waits, id+" (waiting)")
		case !dep.waitForReady:
		case !dep.exists:
			waits = append(waits, id+" (not created yet)")
		case !dep.Ready:
			waits = append(waits, id+" (not ready)")
		}
	}
	switch {
	case len(failed) > 0:
		return Decision{Phase: PhaseSkipped, Reason: strings.Join(failed, ", ")}
	case len(waits) > 0:
		return Decision{Phase: PhaseWaiting, Reason: "waits for " + strings.Join(waits, ", ")}
	}
	return Decision{Emit: true, Phase: PhaseApplied, Reason: "not observed yet"}
}

// message returns the result line for a decision, if it deserves one.
func message(d Decision) (Message, bool) {
	switch d.Phase {
	case PhaseWaiting:
		return Message{Severity: SeverityNormal, ID: d.ID, Text: d.ID + " " + d.Reason}, true
	case PhaseSkipped:
		return Message{Severity: SeverityWarning, ID: d.ID, Text: d.ID + " skipped: " + d.Reason}, true
	case PhaseFailed:
		return Message{Severity: SeverityWarning, ID: d.ID, Text: d.ID + " failed: " + d.Reason}, true
	}
	return Message{}, false
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func sortedUnique(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
