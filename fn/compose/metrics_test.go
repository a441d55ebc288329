package compose

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/rowplane/rowplane/fn/metrics"
)

// TestRunFunctionMetrics proves each call is counted by result, and a Fatal by its reason.
func TestRunFunctionMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	f := testFunction().WithMetrics(metrics.New(reg))
	head := "apiVersion: fn.rowplane.io/v1beta1\nkind: Form\nspec:\n"
	for _, form := range []string{
		head + "  configMaps:\n  - {id: c, nameTemplate: c, spec: {apiVersion: v1, kind: ConfigMap}}\n",
		head + "  resources:\n  - id: a\n    nameTemplatee: x\n",
		head + "  configMaps:\n  - {id: c, nameTemplate: \"{{ .planType | int }}\", spec: {apiVersion: v1, kind: ConfigMap}}\n",
	} {
		if _, err := f.RunFunction(context.Background(), newRequest(t, xrYAML, form, nil)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		what   string
		metric string
		labels []string
		want   float64
	}{
		{"one call rendered", "rowplane_function_runs_total", []string{"ok"}, 1},
		{"two calls ended Fatal", "rowplane_function_runs_total", []string{"fatal"}, 2},
		{"a Form field typo is an input Fatal", "rowplane_function_fatal_results_total", []string{metrics.ReasonInput}, 1},
		{"a template error is a render Fatal", "rowplane_function_fatal_results_total", []string{metrics.ReasonRender}, 1},
	} {
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		got := 0.0
		for _, mf := range mfs {
			if mf.GetName() != c.metric {
				continue
			}
			for _, m := range mf.GetMetric() {
				if m.GetLabel()[0].GetValue() == c.labels[0] {
					got = m.GetCounter().GetValue()
				}
			}
		}
		if got != c.want {
			t.Errorf("%s: %s%v = %v, want %v", c.what, c.metric, c.labels, got, c.want)
		}
	}
	if n := testutil.CollectAndCount(reg, "rowplane_function_run_duration_seconds"); n != 1 {
		t.Errorf("every call is timed in one histogram, got %d series", n)
	}
}
