package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
	"github.com/rowplane/rowplane/internal/devstack/stack"
	"github.com/rowplane/rowplane/internal/devstack/standin"
)

// A row is one tenant's line in a frame.
type row struct {
	Tenant, Plan, Claim, Ready, WaitingOn, App, RDS, Retained string
}

// none marks an empty cell.
const none = "-"

// tenantRow summarizes what a tenant's row became. active says whether the row is active in
// the table; del is the RDS stand-in's record of the instance's deletion, if any.
func tenantRow(t stack.Tenant, active bool, del *standin.Deletion) row {
	r := row{Tenant: t.UID, Plan: none, Claim: none, Ready: none, WaitingOn: none, App: none, RDS: none, Retained: none}
	status := t.Claim
	if status == nil {
		status = t.XR
	}
	switch {
	case t.Claim == nil && active:
		r.WaitingOn = "Hub sync"
	case t.Claim == nil:
		r.Claim = "removed"
	case t.Claim.GetDeletionTimestamp() != nil:
		r.Claim = "deleting"
	default:
		r.Claim = claimState(t.Claim)
	}
	if status != nil {
		r.Plan = specString(status, "planType")
		if s, ok, _ := unstructured.NestedString(status.Object, "status", "rowplane", "readyOfDesired"); ok {
			r.Ready = s
		}
		if w := waitingOn(status); w != "" {
			r.WaitingOn = w
		}
	}
	if t.App != nil {
		want, _, _ := unstructured.NestedInt64(t.App.Object, "spec", "replicas")
		got, _, _ := unstructured.NestedInt64(t.App.Object, "status", "availableReplicas")
		r.App = fmt.Sprintf("%d/%d replicas", got, want)
	}
	if t.RDS != nil {
		class, _, _ := unstructured.NestedString(t.RDS.Object, "spec", "forProvider", "dbInstanceClass")
		state := "Creating"
		if stack.ConditionIs(t.RDS, "Ready", "True") {
			state = "Ready"
		}
		if t.RDS.GetDeletionTimestamp() != nil {
			state = "deleting"
		}
		r.RDS = class + " " + state
	}
	switch {
	case active:
	case t.Claim != nil && t.Claim.GetDeletionTimestamp() == nil:
		// Deactivated in the table, not yet seen by the Hub.
		r.WaitingOn = "Hub sync"
	default:
		if left := remaining(t); left != "" {
			r.WaitingOn = "teardown: " + left
		}
	}
	if del != nil {
		r.Retained = t.UID + "-postgres: cloud DB kept"
		if del.CloudDeleted {
			r.Retained = t.UID + "-postgres: cloud DB DELETED"
		}
	}
	return r
}

// remaining lists the tenant's composed objects still in the API server.
func remaining(t stack.Tenant) string {
	var left []string
	for _, o := range []struct {
		name string
		u    *unstructured.Unstructured
	}{{"XR", t.XR}, {"Namespace", t.NS}, {"Deployment", t.App}, {"RDS object", t.RDS}} {
		if o.u != nil {
			left = append(left, o.name)
		}
	}
	return strings.Join(left, ", ")
}

// claimState is the claim's Ready condition: "Ready", else its reason.
func claimState(claim *unstructured.Unstructured) string {
	if stack.ConditionIs(claim, "Synced", "False") {
		return "Synced=False"
	}
	if stack.ConditionIs(claim, "Ready", "True") {
		return "Ready"
	}
	c := controlplane.Condition(claim, "Ready")
	if reason, _ := c["reason"].(string); reason != "" {
		return reason
	}
	return "NotReady"
}

// waitingOn lists the resources function-rowplane withholds and what they wait for, e.g.
// "app → rds-instance", from status.rowplane.resources.
func waitingOn(u *unstructured.Unstructured) string {
	res, _, _ := unstructured.NestedSlice(u.Object, "status", "rowplane", "resources")
	var out []string
	for _, o := range res {
		m, _ := o.(map[string]any)
		if m["phase"] != "Waiting" {
			continue
		}
		id, _ := m["id"].(string)
		reason, _ := m["reason"].(string)
		if dep, ok := strings.CutPrefix(reason, "waits for "); ok {
			dep, _, _ = strings.Cut(dep, " (")
			out = append(out, id+" → "+dep)
			continue
		}
		out = append(out, id+": "+reason)
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

func specString(u *unstructured.Unstructured, field string) string {
	if s, _, _ := unstructured.NestedString(u.Object, "spec", field); s != "" {
		return s
	}
	return none
}

// renderTable lays rows out in aligned columns, indented by two spaces.
func renderTable(rows []row) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  TENANT\tPLAN\tCLAIM\tREADY\tWAITING ON\tAPP\tRDS INSTANCE\tRETAINED")
	for _, r := range rows {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Tenant, r.Plan, r.Claim, r.Ready, r.WaitingOn, r.App, r.RDS, r.Retained)
	}
	_ = w.Flush()
	return b.String()
}
