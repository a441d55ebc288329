package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestObserve(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.Observe(time.Millisecond, "")
	m.Observe(2*time.Millisecond, ReasonRender)
	m.Observe(3*time.Millisecond, ReasonRender)
	want := `
# HELP rowplane_function_fatal_results_total RunFunction calls that ended in a Fatal result, by reason.
# TYPE rowplane_function_fatal_results_total counter
rowplane_function_fatal_results_total{reason="render"} 2
# HELP rowplane_function_runs_total RunFunction calls by result (ok or fatal).
# TYPE rowplane_function_runs_total counter
rowplane_function_runs_total{result="fatal"} 2
rowplane_function_runs_total{result="ok"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "rowplane_function_runs_total", "rowplane_function_fatal_results_total"); err != nil {
		t.Errorf("one ok and two render Fatals are counted by result and reason: %v", err)
	}
	if n := testutil.CollectAndCount(m.duration); n != 1 {
		t.Errorf("one duration histogram, got %d series", n)
	}
	var none *Metrics
	none.Observe(time.Second, ReasonInput) // a nil Metrics records nothing and does not panic
}
