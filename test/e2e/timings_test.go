//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// timings collects the latencies the issue asks for, reported as one table at the end.
type timings struct {
	mu   sync.Mutex
	rows []timing
}

type timing struct {
	what string
	took time.Duration
}

func (ts *timings) add(what string, took time.Duration) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.rows = append(ts.rows, timing{what: what, took: took})
}

func (ts *timings) report(t *testing.T) {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-64s %8s\n", "latency", "seconds")
	for _, r := range ts.rows {
		fmt.Fprintf(&b, "%-64s %8.2f\n", r.what, r.took.Seconds())
	}
	t.Log(b.String())
}
