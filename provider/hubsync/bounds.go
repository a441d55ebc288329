package hubsync

import (
	"fmt"
	"unicode/utf8"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// Bounds on what a sync writes into the Hub's status, events and log lines. The API server
// refuses a status update over its request limit (about 2 MiB), and then nothing at all is
// shown, not even the count an operator needs before approving deletions; a table's values are
// not under the Hub author's control, so every text taken from them is cut.
const (
	// maxInvalidSamples bounds the invalid rows listed in status; status.invalidRows keeps the
	// total.
	maxInvalidSamples = 10
	// maxKeyLen bounds an invalid row's key (its uid), a DNS subdomain's length.
	maxKeyLen = 253
	// maxReasonLen bounds an invalid row's reason.
	maxReasonLen = 512
	// maxMessageLen bounds a condition message, an event message and a logged error.
	maxMessageLen = 2048
)

// clip cuts s to at most n bytes, on a character boundary, saying how long it was.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	suffix := fmt.Sprintf("... (%d bytes in all)", len(s))
	cut := max(n-len(suffix), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + suffix
}

// samples returns the invalid rows status lists: the first maxInvalidSamples, each cut.
func samples(invalid []v1alpha1.InvalidRow) []v1alpha1.InvalidRow {
	if len(invalid) == 0 {
		return nil
	}
	out := make([]v1alpha1.InvalidRow, 0, min(len(invalid), maxInvalidSamples))
	for _, ir := range invalid[:min(len(invalid), maxInvalidSamples)] {
		out = append(out, v1alpha1.InvalidRow{Key: clip(ir.Key, maxKeyLen), Reason: clip(ir.Reason, maxReasonLen)})
	}
	return out
}
