// Package metrics defines the Prometheus metrics of provider-rowplane's Hub controller.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Row states reported by RowsSet.
const (
	RowsTotal    = "total"
	RowsActive   = "active"
	RowsInvalid  = "invalid"
	RowsInactive = "inactive"
	// RowsExpired are rows past their expiry; they are also counted as inactive.
	RowsExpired = "expired"
)

// Write operations counted by Write.
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
	OpOrphan = "orphan"
)

// Claim states reported by ClaimsSet.
const (
	ClaimsDesired = "desired"
	ClaimsReady   = "ready"
	ClaimsFailed  = "failed"
)

// Metrics of the Hub controller. The zero value is not usable; call New.
type Metrics struct {
	rows            *prometheus.GaugeVec
	claims          *prometheus.GaugeVec
	lastSuccess     *prometheus.GaugeVec
	interval        *prometheus.GaugeVec
	syncDuration    *prometheus.HistogramVec
	syncErrors      *prometheus.CounterVec
	writes          *prometheus.CounterVec
	writeErrors     *prometheus.CounterVec
	pausedDeletions *prometheus.GaugeVec
}

// New creates the metrics and registers them with reg.
func New(reg prometheus.Registerer) *Metrics {
	hub := []string{"namespace", "hub"}
	m := &Metrics{
		rows: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "rowplane_hub_rows", Help: "Rows read by a Hub's last successful sync, by state.",
		}, append(hub, "state")),
		claims: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "rowplane_hub_claims", Help: "Claims or composite resources of a Hub's last successful sync, by state (desired, ready, failed).",
		}, append(hub, "state")),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "rowplane_hub_last_success_timestamp_seconds", Help: "Unix time of a Hub's last successful sync.",
		}, hub),
		interval: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "rowplane_hub_sync_interval_seconds", Help: "A Hub's syncInterval: alerts judge staleness against it.",
		}, hub),
		syncDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rowplane_hub_sync_duration_seconds", Help: "Duration of Hub syncs.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120},
		}, append(hub, "result")),
		syncErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rowplane_hub_sync_errors_total", Help: "Hub syncs that changed nothing because of an error, by stage.",
		}, append(hub, "stage")),
		writes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rowplane_hub_object_writes_total", Help: "Writes of claims or composite resources by operation.",
		}, append(hub, "operation")),
		writeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rowplane_hub_object_write_errors_total", Help: "Failed writes of claims or composite resources by operation.",
		}, append(hub, "operation")),
		pausedDeletions: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "rowplane_hub_paused_deletions", Help: "Deletions a guard currently holds back.",
		}, hub),
	}
	reg.MustRegister(m.rows, m.claims, m.lastSuccess, m.interval, m.syncDuration, m.syncErrors, m.writes, m.writeErrors, m.pausedDeletions)
	return m
}

// RowsSet records the row counts of a sync.
func (m *Metrics) RowsSet(ns, hub string, byState map[string]int) {
	for s, n := range byState {
		m.rows.WithLabelValues(ns, hub, s).Set(float64(n))
	}
}

// ClaimsSet records the claim counts of a sync.
func (m *Metrics) ClaimsSet(ns, hub string, byState map[string]int) {
	for s, n := range byState {
		m.claims.WithLabelValues(ns, hub, s).Set(float64(n))
	}
}

// Result labels of SyncDone.
const (
	ResultSuccess = "success"
	ResultError   = "error"
)

// SyncDone records a sync's duration, the Hub's interval and, for a success, its time.
func (m *Metrics) SyncDone(ns, hub, result string, d, interval time.Duration) {
	m.syncDuration.WithLabelValues(ns, hub, result).Observe(d.Seconds())
	m.interval.WithLabelValues(ns, hub).Set(interval.Seconds())
	if result == ResultSuccess {
		m.lastSuccess.WithLabelValues(ns, hub).SetToCurrentTime()
	}
}

// SyncError counts a sync that stopped at stage (e.g. "query", "config", "list").
func (m *Metrics) SyncError(ns, hub, stage string) {
	m.syncErrors.WithLabelValues(ns, hub, stage).Inc()
}

// Write counts one write; err says whether it failed.
func (m *Metrics) Write(ns, hub, op string, err error) {
	if err != nil {
		m.writeErrors.WithLabelValues(ns, hub, op).Inc()
		return
	}
	m.writes.WithLabelValues(ns, hub, op).Inc()
}

// PausedDeletions records how many deletions a guard holds back.
func (m *Metrics) PausedDeletions(ns, hub string, n int) {
	m.pausedDeletions.WithLabelValues(ns, hub).Set(float64(n))
}

// Forget drops the series of a deleted Hub.
func (m *Metrics) Forget(ns, hub string) {
	l := prometheus.Labels{"namespace": ns, "hub": hub}
	m.rows.DeletePartialMatch(l)
	m.claims.DeletePartialMatch(l)
	m.lastSuccess.DeletePartialMatch(l)
	m.interval.DeletePartialMatch(l)
	m.syncDuration.DeletePartialMatch(l)
	m.syncErrors.DeletePartialMatch(l)
	m.writes.DeletePartialMatch(l)
	m.writeErrors.DeletePartialMatch(l)
	m.pausedDeletions.DeletePartialMatch(l)
}
