package hubsync

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// DefaultMaxPercent is the deletion budget when a Hub sets none.
const DefaultMaxPercent = 25

// maxNamesShown bounds the object names a pause message lists; the batch id covers them all.
const maxNamesShown = 5

// GuardInput is what the deletion guards decide on. It is only built after the table was read
// without error: a failed read never gets this far, so it can never delete anything.
type GuardInput struct {
	// Hub names the Hub, for the approval command the message gives.
	Hub string
	// Namespace of the Hub.
	Namespace string
	// HubDeleted is true when the deletions are those of a deleted Hub with policy Delete:
	// the table is not consulted, only the budgets and approvals apply.
	HubDeleted bool
	// ActiveRows in the table, invalid ones included.
	ActiveRows int
	// ValidRows are the active rows that ask for objects; the rest were skipped as invalid.
	ValidRows int
	// Existing objects of the Hub, not counting those already being deleted.
	Existing int
	// Deletions names the objects to delete as Kind/name.
	Deletions []string
	// AllowEmpty lets an empty table delete.
	AllowEmpty bool
	// MaxPerSync, when set, caps the deletions of one sync.
	MaxPerSync *int32
	// MaxPercent caps the deletions as a share of Existing.
	MaxPercent int32
	// Approval is the value of the approval annotation; empty when there is none.
	Approval string
}

// GuardDecision says whether a sync may delete.
type GuardDecision struct {
	// Allow the deletions.
	Allow bool
	// UsedApproval is true when only the approval allowed them; it is then consumed.
	UsedApproval bool
	// Batch is the id of the deletions; set whenever there are any.
	Batch string
	// Reason and Message explain a pause.
	Reason  xpv2.ConditionReason
	Message string
	// RejectApproval, when set, says why the approval annotation approves nothing; it is
	// removed so it cannot release a later batch.
	RejectApproval string
}

// BatchID is the id of a batch of deletions: the first 10 hex digits of a SHA-256 over the
// sorted names. Any change to the batch changes it, so an approval given for one batch can
// never release another.
func BatchID(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	sum := sha256.Sum256([]byte(strings.Join(s, "\n")))
	return hex.EncodeToString(sum[:])[:10]
}

// Guard decides whether the deletions of one sync may go ahead.
func Guard(in GuardInput) GuardDecision {
	n := len(in.Deletions)
	if n == 0 {
		return GuardDecision{Allow: true, RejectApproval: rejectApproval(in.Approval, "")}
	}
	batch := BatchID(in.Deletions)
	why, reason := holdReason(in)
	if why == "" {
		return GuardDecision{Allow: true, Batch: batch, RejectApproval: rejectApproval(in.Approval, "")}
	}
	if in.Approval != "" && strings.TrimSpace(in.Approval) == batch {
		return GuardDecision{Allow: true, UsedApproval: true, Batch: batch}
	}
	return GuardDecision{Batch: batch, Reason: reason, RejectApproval: rejectApproval(in.Approval, batch), Message: fmt.Sprintf(
		"holding back %d deletions (batch %s: %s): %s; to delete exactly this batch run "+
			"`kubectl annotate hub -n %s %s %s=%s`, or raise the limit",
		n, batch, listNames(in.Deletions), why, in.Namespace, in.Hub, v1alpha1.AnnotationApproveDeletions, batch)}
}

// holdReason returns why the deletions must wait, or "" when they may go ahead.
func holdReason(in GuardInput) (string, xpv2.ConditionReason) {
	n := len(in.Deletions)
	switch {
	case in.HubDeleted:
		// Deleting the Hub asks for every object on purpose; only the budgets apply.
	case in.ActiveRows == 0 && in.Existing > 0 && !in.AllowEmpty:
		return fmt.Sprintf("the table has no active rows while the Hub has %d objects (spec.deletion.allowEmpty is false)", in.Existing), v1alpha1.ReasonEmptyTable
	case in.ActiveRows > 0 && in.ValidRows == 0 && in.Existing > 0:
		// Every active row being invalid (a botched migration that upper-cased every uid, say)
		// is an empty table by accident, and allowEmpty, meant for a table emptied on purpose,
		// does not release it.
		return fmt.Sprintf("none of the %d active rows is valid while the Hub has %d objects (see status.invalidRowSamples)", in.ActiveRows, in.Existing), v1alpha1.ReasonEmptyTable
	}
	if in.MaxPerSync != nil && n > int(*in.MaxPerSync) {
		return fmt.Sprintf("more than spec.deletion.maxPerSync=%d", *in.MaxPerSync), v1alpha1.ReasonOverBudget
	}
	// A single deletion cannot be a mass deletion, so it never trips the percentage: without
	// this a Hub with three tenants could never retire one.
	if n > 1 && n*100 > int(in.MaxPercent)*in.Existing {
		return fmt.Sprintf("%d of %d objects is more than spec.deletion.maxPercent=%d%%", n, in.Existing, in.MaxPercent), v1alpha1.ReasonOverBudget
	}
	return "", ""
}

// rejectApproval says why an approval that did not release a batch approves nothing, or ""
// when there is no approval. held is the id of the batch being held back, if any.
func rejectApproval(approval, held string) string {
	a := strings.TrimSpace(approval)
	if approval == "" {
		return ""
	}
	key := v1alpha1.AnnotationApproveDeletions
	if _, err := strconv.Atoi(a); err == nil {
		// Approving by count let a stale approval release whatever batch came next, so a bare
		// number approves nothing.
		if held == "" {
			return fmt.Sprintf("%s=%s is a count, which approves nothing (approvals name a held batch's id); no deletion is held back", key, clip(a, maxKeyLen))
		}
		return fmt.Sprintf("%s=%s is a count, which approves nothing (approvals name a held batch's id); the held batch is %s", key, clip(a, maxKeyLen), held)
	}
	if held == "" {
		return fmt.Sprintf("%s=%s matches no held batch: no deletion is held back; it was removed so it cannot approve a later batch", key, clip(a, maxKeyLen))
	}
	return fmt.Sprintf("%s=%s does not match the held batch %s (the deletions changed since it was shown); nothing was deleted: review the batch and approve %s", key, clip(a, maxKeyLen), held, held)
}

func listNames(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	if len(s) <= maxNamesShown {
		return strings.Join(s, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(s[:maxNamesShown], ", "), len(s)-maxNamesShown)
}
