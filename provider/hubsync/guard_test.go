package hubsync

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/utils/ptr"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// names returns n object names, k-00 to k-(n-1).
func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("NodeDatabase/k-%02d", i)
	}
	return out
}

func TestGuard(t *testing.T) {
	t.Parallel()
	four := names(4)
	id4 := BatchID(four)
	cases := map[string]struct {
		reason string
		in     GuardInput
		want   GuardDecision
	}{
		"NothingToDelete": {
			reason: "no deletions is always allowed, even with an empty table",
			in:     GuardInput{ActiveRows: 0, Existing: 10, MaxPercent: 25},
			want:   GuardDecision{Allow: true},
		},
		"WithinBudget": {
			reason: "2 of 10 is within 25%",
			in:     GuardInput{ActiveRows: 8, ValidRows: 8, Existing: 10, Deletions: names(2), MaxPercent: 25},
			want:   GuardDecision{Allow: true, Batch: BatchID(names(2))},
		},
		"SingleDeletion": {
			reason: "one deletion never trips the percentage, so small Hubs can retire a tenant",
			in:     GuardInput{ActiveRows: 1, ValidRows: 1, Existing: 2, Deletions: names(1), MaxPercent: 25},
			want:   GuardDecision{Allow: true, Batch: BatchID(names(1))},
		},
		"OverPercent": {
			reason: "4 of 10 (40%) is over 25%",
			in:     GuardInput{ActiveRows: 6, ValidRows: 6, Existing: 10, Deletions: four, MaxPercent: 25},
			want:   GuardDecision{Batch: id4, Reason: v1alpha1.ReasonOverBudget},
		},
		"OverPercentApproved": {
			reason: "an approval naming the held batch's id lets exactly that batch through",
			in:     GuardInput{ActiveRows: 6, ValidRows: 6, Existing: 10, Deletions: four, MaxPercent: 25, Approval: id4},
			want:   GuardDecision{Allow: true, UsedApproval: true, Batch: id4},
		},
		"ApprovalOfAnotherBatch": {
			reason: "an approval given for a,b,c does not release d,e,f: it is rejected and the batch held",
			in: GuardInput{ActiveRows: 6, ValidRows: 6, Existing: 10, Deletions: []string{"NodeDatabase/d", "NodeDatabase/e", "NodeDatabase/f"},
				MaxPercent: 25, Approval: BatchID([]string{"NodeDatabase/a", "NodeDatabase/b", "NodeDatabase/c"})},
			want: GuardDecision{Batch: BatchID([]string{"NodeDatabase/d", "NodeDatabase/e", "NodeDatabase/f"}), Reason: v1alpha1.ReasonOverBudget,
				RejectApproval: "does not match the held batch"},
		},
		"CountApprovesNothing": {
			reason: "a bare number (the old approval) approves nothing, even the count of the batch",
			in:     GuardInput{ActiveRows: 6, ValidRows: 6, Existing: 10, Deletions: four, MaxPercent: 25, Approval: "4"},
			want:   GuardDecision{Batch: id4, Reason: v1alpha1.ReasonOverBudget, RejectApproval: "is a count"},
		},
		"StaleApprovalNothingHeld": {
			reason: "an approval while nothing is held is rejected, so it cannot release a later batch",
			in:     GuardInput{ActiveRows: 10, ValidRows: 10, Existing: 10, MaxPercent: 25, Approval: "1a2b3c4d5e"},
			want:   GuardDecision{Allow: true, RejectApproval: "matches no held batch"},
		},
		"ApprovalWithinBudget": {
			reason: "deletions within budget need no approval, and an approval is rejected rather than kept",
			in:     GuardInput{ActiveRows: 9, ValidRows: 9, Existing: 10, Deletions: names(1), MaxPercent: 25, Approval: BatchID(names(1))},
			want:   GuardDecision{Allow: true, Batch: BatchID(names(1)), RejectApproval: "matches no held batch"},
		},
		"RaisedPercent": {
			reason: "raising maxPercent lets the batch through",
			in:     GuardInput{ActiveRows: 6, ValidRows: 6, Existing: 10, Deletions: four, MaxPercent: 50},
			want:   GuardDecision{Allow: true, Batch: id4},
		},
		"OverCount": {
			reason: "maxPerSync caps the count whatever the percentage",
			in:     GuardInput{ActiveRows: 900, ValidRows: 900, Existing: 1000, Deletions: names(100), MaxPerSync: ptr.To[int32](50), MaxPercent: 25},
			want:   GuardDecision{Batch: BatchID(names(100)), Reason: v1alpha1.ReasonOverBudget},
		},
		"EmptyTable": {
			reason: "no active rows while objects exist pauses deletion",
			in:     GuardInput{Existing: 1, Deletions: names(1), MaxPercent: 100},
			want:   GuardDecision{Batch: BatchID(names(1)), Reason: v1alpha1.ReasonEmptyTable},
		},
		"EmptyTableAllowed": {
			reason: "allowEmpty lifts the empty-table stop but the budget still applies",
			in:     GuardInput{Existing: 10, Deletions: names(10), AllowEmpty: true, MaxPercent: 25},
			want:   GuardDecision{Batch: BatchID(names(10)), Reason: v1alpha1.ReasonOverBudget},
		},
		"EmptyTableAllowedFullBudget": {
			reason: "allowEmpty with a 100% budget empties the Hub",
			in:     GuardInput{Existing: 10, Deletions: names(10), AllowEmpty: true, MaxPercent: 100},
			want:   GuardDecision{Allow: true, Batch: BatchID(names(10))},
		},
		"EmptyTableApproved": {
			reason: "an approval of its id also releases an empty-table pause",
			in:     GuardInput{Existing: 3, Deletions: names(3), MaxPercent: 25, Approval: BatchID(names(3))},
			want:   GuardDecision{Allow: true, UsedApproval: true, Batch: BatchID(names(3))},
		},
		"AllRowsInvalid": {
			reason: "active rows that are all invalid are an empty table, even with a 100% budget",
			in:     GuardInput{ActiveRows: 5, ValidRows: 0, Existing: 5, Deletions: names(5), MaxPercent: 100},
			want:   GuardDecision{Batch: BatchID(names(5)), Reason: v1alpha1.ReasonEmptyTable},
		},
		"AllRowsInvalidAllowEmpty": {
			reason: "allowEmpty is for a table emptied on purpose; it does not release all-invalid rows",
			in:     GuardInput{ActiveRows: 5, ValidRows: 0, Existing: 5, Deletions: names(5), AllowEmpty: true, MaxPercent: 100},
			want:   GuardDecision{Batch: BatchID(names(5)), Reason: v1alpha1.ReasonEmptyTable},
		},
		"SomeRowsValid": {
			reason: "one valid row is not an empty table: the budget decides",
			in:     GuardInput{ActiveRows: 5, ValidRows: 1, Existing: 5, Deletions: names(4), MaxPercent: 100},
			want:   GuardDecision{Allow: true, Batch: BatchID(names(4))},
		},
		"HubDeletedOverBudget": {
			reason: "deleting a Hub with policy Delete deletes every object, which the budget holds back",
			in:     GuardInput{HubDeleted: true, Existing: 10, Deletions: names(10), MaxPercent: 25},
			want:   GuardDecision{Batch: BatchID(names(10)), Reason: v1alpha1.ReasonOverBudget},
		},
		"HubDeletedFullBudget": {
			reason: "the table does not matter once the Hub is deleted; a 100% budget lets it through",
			in:     GuardInput{HubDeleted: true, Existing: 10, Deletions: names(10), MaxPercent: 100},
			want:   GuardDecision{Allow: true, Batch: BatchID(names(10))},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Guard(tc.in)
			// RejectApproval is compared by a substring of our own message.
			if tc.want.RejectApproval == "" != (got.RejectApproval == "") || !strings.Contains(got.RejectApproval, tc.want.RejectApproval) {
				t.Errorf("%s\nRejectApproval: want containing %q, got %q", tc.reason, tc.want.RejectApproval, got.RejectApproval)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(GuardDecision{}, "Message", "RejectApproval")); diff != "" {
				t.Errorf("%s\nGuard(%+v): -want +got:\n%s", tc.reason, tc.in, diff)
			}
			if !got.Allow && !strings.Contains(got.Message, v1alpha1.AnnotationApproveDeletions+"="+got.Batch) {
				t.Errorf("%s\nGuard: a pause must give the approval command with the batch id, got %q", tc.reason, got.Message)
			}
		})
	}
}

func TestBatchID(t *testing.T) {
	t.Parallel()
	abc := BatchID([]string{"NodeDatabase/a", "NodeDatabase/b", "NodeDatabase/c"})
	cases := map[string]struct {
		reason string
		in     []string
		same   bool
	}{
		"Order":   {reason: "the id does not depend on the order", in: []string{"NodeDatabase/c", "NodeDatabase/a", "NodeDatabase/b"}, same: true},
		"Other":   {reason: "another batch of the same size has another id", in: []string{"NodeDatabase/d", "NodeDatabase/e", "NodeDatabase/f"}},
		"Smaller": {reason: "a subset has another id", in: []string{"NodeDatabase/a", "NodeDatabase/b"}},
		"Larger":  {reason: "a superset has another id", in: []string{"NodeDatabase/a", "NodeDatabase/b", "NodeDatabase/c", "NodeDatabase/d"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := BatchID(tc.in)
			if len(got) != 10 {
				t.Errorf("%s\nBatchID: want 10 hex digits, got %q", tc.reason, got)
			}
			if (got == abc) != tc.same {
				t.Errorf("%s\nBatchID(%q) = %s, BatchID(a,b,c) = %s", tc.reason, tc.in, got, abc)
			}
		})
	}
}

func TestClipAndSamples(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 400<<10)
	cases := map[string]struct {
		reason string
		in     []v1alpha1.InvalidRow
		want   int
	}{
		"None":  {reason: "no invalid rows list nothing", want: 0},
		"Few":   {reason: "a few are listed", in: make([]v1alpha1.InvalidRow, 3), want: 3},
		"Many":  {reason: "many are capped at maxInvalidSamples", in: make([]v1alpha1.InvalidRow, 1000), want: maxInvalidSamples},
		"Large": {reason: "huge keys and reasons are cut", in: []v1alpha1.InvalidRow{{Key: huge, Reason: huge}, {Key: "k", Reason: huge}}, want: 2},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := samples(tc.in)
			if len(got) != tc.want {
				t.Errorf("%s\nsamples: want %d rows, got %d", tc.reason, tc.want, len(got))
			}
			for _, ir := range got {
				if len(ir.Key) > maxKeyLen || len(ir.Reason) > maxReasonLen {
					t.Errorf("%s\nsamples: key %d and reason %d bytes, want at most %d and %d", tc.reason, len(ir.Key), len(ir.Reason), maxKeyLen, maxReasonLen)
				}
			}
		})
	}
	if got := clip("short", 10); got != "short" {
		t.Errorf("clip keeps a short text as it is, got %q", got)
	}
	if got := clip(strings.Repeat("é", 100), 50); len(got) > 50 || !strings.Contains(got, "(200 bytes in all)") {
		t.Errorf("clip cuts on a character boundary and gives the length, got %q", got)
	}
}
