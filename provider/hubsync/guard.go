package hubsync

import (
	"fmt"
	"strconv"
	"strings"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// DefaultMaxPercent is the deletion budget when a Hub sets none.
const DefaultMaxPercent = 25

// GuardInput is what the deletion guards decide on. It is only built after the table was read
// without error: a failed read never gets this far, so it can never delete anything.
type GuardInput struct {
	// ActiveRows in the table.
	ActiveRows int
	// Existing objects of the Hub, not counting those already being deleted.
	Existing int
	// Deletions the table asks for.
	Deletions int
	// AllowEmpty lets an empty table delete.
	AllowEmpty bool
	// MaxPerSync, when set, caps the deletions of one sync.
	MaxPerSync *int32
	// MaxPercent caps the deletions as a share of Existing.
	MaxPercent int32
	// Approved is the number in the approval annotation; negative when there is none.
	Approved int
}

// GuardDecision says whether a sync may delete.
type GuardDecision struct {
	// Allow the deletions.
	Allow bool
	// UsedApproval is true when only the approval annotation allowed them.
	UsedApproval bool
	// Reason and Message explain a pause.
	Reason  xpv2.ConditionReason
	Message string
}

// Guard decides whether the deletions of one sync may go ahead.
func Guard(in GuardInput) GuardDecision {
	if in.Deletions == 0 {
		return GuardDecision{Allow: true}
	}
	paused := func(r xpv2.ConditionReason, why string) GuardDecision {
		if in.Approved >= in.Deletions {
			return GuardDecision{Allow: true, UsedApproval: true}
		}
		return GuardDecision{Reason: r, Message: fmt.Sprintf(
			"holding back %d deletions: %s; to proceed annotate the Hub %s=%d or raise the limit",
			in.Deletions, why, v1alpha1.AnnotationApproveDeletions, in.Deletions)}
	}
	if in.ActiveRows == 0 && in.Existing > 0 && !in.AllowEmpty {
		return paused(v1alpha1.ReasonEmptyTable, fmt.Sprintf(
			"the table has no active rows while the Hub has %d objects (spec.deletion.allowEmpty is false)", in.Existing))
	}
	if in.MaxPerSync != nil && in.Deletions > int(*in.MaxPerSync) {
		return paused(v1alpha1.ReasonOverBudget, fmt.Sprintf(
			"more than spec.deletion.maxPerSync=%d", *in.MaxPerSync))
	}
	// A single deletion cannot be a mass deletion, so it never trips the percentage: without
	// this a Hub with three tenants could never retire one.
	if in.Deletions > 1 && in.Deletions*100 > int(in.MaxPercent)*in.Existing {
		return paused(v1alpha1.ReasonOverBudget, fmt.Sprintf(
			"%d of %d objects is more than spec.deletion.maxPercent=%d%%", in.Deletions, in.Existing, in.MaxPercent))
	}
	return GuardDecision{Allow: true}
}

// approved parses the approval annotation; -1 when absent or not a number.
func approved(annotations map[string]string) int {
	v, ok := annotations[v1alpha1.AnnotationApproveDeletions]
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
