package hubsync

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/utils/ptr"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

func TestGuard(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		in     GuardInput
		want   GuardDecision
	}{
		"NothingToDelete": {
			reason: "no deletions is always allowed, even with an empty table",
			in:     GuardInput{ActiveRows: 0, Existing: 10, MaxPercent: 25, Approved: -1},
			want:   GuardDecision{Allow: true},
		},
		"WithinBudget": {
			reason: "2 of 10 is within 25%",
			in:     GuardInput{ActiveRows: 8, Existing: 10, Deletions: 2, MaxPercent: 25, Approved: -1},
			want:   GuardDecision{Allow: true},
		},
		"SingleDeletion": {
			reason: "one deletion never trips the percentage, so small Hubs can retire a tenant",
			in:     GuardInput{ActiveRows: 1, Existing: 2, Deletions: 1, MaxPercent: 25, Approved: -1},
			want:   GuardDecision{Allow: true},
		},
		"OverPercent": {
			reason: "4 of 10 (40%) is over 25%",
			in:     GuardInput{ActiveRows: 6, Existing: 10, Deletions: 4, MaxPercent: 25, Approved: -1},
			want:   GuardDecision{Reason: v1alpha1.ReasonOverBudget},
		},
		"OverPercentApproved": {
			reason: "an approval of at least the count lets the batch through",
			in:     GuardInput{ActiveRows: 6, Existing: 10, Deletions: 4, MaxPercent: 25, Approved: 4},
			want:   GuardDecision{Allow: true, UsedApproval: true},
		},
		"ApprovalTooSmall": {
			reason: "an approval for fewer deletions than asked does not count",
			in:     GuardInput{ActiveRows: 6, Existing: 10, Deletions: 4, MaxPercent: 25, Approved: 3},
			want:   GuardDecision{Reason: v1alpha1.ReasonOverBudget},
		},
		"RaisedPercent": {
			reason: "raising maxPercent lets the batch through",
			in:     GuardInput{ActiveRows: 6, Existing: 10, Deletions: 4, MaxPercent: 50, Approved: -1},
			want:   GuardDecision{Allow: true},
		},
		"OverCount": {
			reason: "maxPerSync caps the count whatever the percentage",
			in:     GuardInput{ActiveRows: 900, Existing: 1000, Deletions: 100, MaxPerSync: ptr.To[int32](50), MaxPercent: 25, Approved: -1},
			want:   GuardDecision{Reason: v1alpha1.ReasonOverBudget},
		},
		"EmptyTable": {
			reason: "no active rows while objects exist pauses deletion",
			in:     GuardInput{ActiveRows: 0, Existing: 1, Deletions: 1, MaxPercent: 100, Approved: -1},
			want:   GuardDecision{Reason: v1alpha1.ReasonEmptyTable},
		},
		"EmptyTableAllowed": {
			reason: "allowEmpty lifts the empty-table stop but the budget still applies",
			in:     GuardInput{ActiveRows: 0, Existing: 10, Deletions: 10, AllowEmpty: true, MaxPercent: 25, Approved: -1},
			want:   GuardDecision{Reason: v1alpha1.ReasonOverBudget},
		},
		"EmptyTableAllowedFullBudget": {
			reason: "allowEmpty with a 100% budget empties the Hub",
			in:     GuardInput{ActiveRows: 0, Existing: 10, Deletions: 10, AllowEmpty: true, MaxPercent: 100, Approved: -1},
			want:   GuardDecision{Allow: true},
		},
		"EmptyTableApproved": {
			reason: "an approval also releases an empty-table pause",
			in:     GuardInput{ActiveRows: 0, Existing: 3, Deletions: 3, MaxPercent: 25, Approved: 3},
			want:   GuardDecision{Allow: true, UsedApproval: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Guard(tc.in)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(GuardDecision{}, "Message")); diff != "" {
				t.Errorf("%s\nGuard(%+v): -want +got:\n%s", tc.reason, tc.in, diff)
			}
			if !got.Allow && got.Message == "" {
				t.Errorf("%s\nGuard(%+v): a pause must explain itself", tc.reason, tc.in)
			}
		})
	}
}

func TestApproved(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		in     map[string]string
		want   int
	}{
		"Absent":   {reason: "no annotation is no approval", in: nil, want: -1},
		"Number":   {reason: "a number approves that many", in: map[string]string{v1alpha1.AnnotationApproveDeletions: " 12 "}, want: 12},
		"NotANum":  {reason: "anything else is no approval", in: map[string]string{v1alpha1.AnnotationApproveDeletions: "yes"}, want: -1},
		"Negative": {reason: "negative numbers are no approval", in: map[string]string{v1alpha1.AnnotationApproveDeletions: "-3"}, want: -1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, approved(tc.in)); diff != "" {
				t.Errorf("%s\napproved: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
