// Package metrics defines function-rowplane's own Prometheus metrics, beside the gRPC server
// metrics the function SDK serves: how many RunFunction calls ended in a Fatal result and why,
// and how long each took.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Reasons a RunFunction call ends in a Fatal result. They are a closed set, so the reason
// label stays small whatever the Forms say.
const (
	// ReasonInput: the Form input or the request could not be read.
	ReasonInput = "input"
	// ReasonForm: the Form is invalid (ids, enums, dependIds, a value that would change a
	// manifest's structure).
	ReasonForm = "form"
	// ReasonRender: a template failed or hit its time or size budget.
	ReasonRender = "render"
	// ReasonOutput: the response could not be written.
	ReasonOutput = "output"
)

// Results of a call.
const (
	ResultOK    = "ok"
	ResultFatal = "fatal"
)

// Metrics of the function. A nil *Metrics records nothing, so tests need none.
type Metrics struct {
	runs     *prometheus.CounterVec
	fatals   *prometheus.CounterVec
	duration prometheus.Histogram
}

// New creates the metrics and registers them with reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rowplane_function_runs_total", Help: "RunFunction calls by result (ok or fatal).",
		}, []string{"result"}),
		fatals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rowplane_function_fatal_results_total", Help: "RunFunction calls that ended in a Fatal result, by reason.",
		}, []string{"reason"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "rowplane_function_run_duration_seconds", Help: "Duration of RunFunction calls, rendering included.",
			Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 2.5},
		}),
	}
	reg.MustRegister(m.runs, m.fatals, m.duration)
	return m
}

// Observe records one call; fatalReason is empty when the call succeeded.
func (m *Metrics) Observe(d time.Duration, fatalReason string) {
	if m == nil {
		return
	}
	m.duration.Observe(d.Seconds())
	if fatalReason == "" {
		m.runs.WithLabelValues(ResultOK).Inc()
		return
	}
	m.runs.WithLabelValues(ResultFatal).Inc()
	m.fatals.WithLabelValues(fatalReason).Inc()
}
