package metrics

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.RowsSet("tenants", "hub", map[string]int{RowsActive: 9, RowsInvalid: 1})
	m.Write("tenants", "hub", OpCreate, nil)
	m.Write("tenants", "hub", OpCreate, nil)
	m.Write("tenants", "hub", OpDelete, errors.New("boom"))
	m.PausedDeletions("tenants", "hub", 4)
	m.ClaimsSet("tenants", "hub", map[string]int{ClaimsDesired: 9, ClaimsReady: 7})
	m.SyncDone("tenants", "hub", ResultSuccess, 250*time.Millisecond, 30*time.Second)

	want := `
# HELP rowplane_hub_claims Claims or composite resources of a Hub's last successful sync, by state (desired, ready, failed).
# TYPE rowplane_hub_claims gauge
rowplane_hub_claims{hub="hub",namespace="tenants",state="desired"} 9
rowplane_hub_claims{hub="hub",namespace="tenants",state="ready"} 7
# HELP rowplane_hub_object_writes_total Writes of claims or composite resources by operation.
# TYPE rowplane_hub_object_writes_total counter
rowplane_hub_object_writes_total{hub="hub",namespace="tenants",operation="create"} 2
# HELP rowplane_hub_paused_deletions Deletions a guard currently holds back.
# TYPE rowplane_hub_paused_deletions gauge
rowplane_hub_paused_deletions{hub="hub",namespace="tenants"} 4
# HELP rowplane_hub_rows Rows read by a Hub's last successful sync, by state.
# TYPE rowplane_hub_rows gauge
rowplane_hub_rows{hub="hub",namespace="tenants",state="active"} 9
rowplane_hub_rows{hub="hub",namespace="tenants",state="invalid"} 1
# HELP rowplane_hub_sync_interval_seconds A Hub's syncInterval: alerts judge staleness against it.
# TYPE rowplane_hub_sync_interval_seconds gauge
rowplane_hub_sync_interval_seconds{hub="hub",namespace="tenants"} 30
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"rowplane_hub_claims", "rowplane_hub_object_writes_total", "rowplane_hub_paused_deletions", "rowplane_hub_rows",
		"rowplane_hub_sync_interval_seconds"); err != nil {
		t.Errorf("metrics after one sync: %v", err)
	}
	if got := testutil.CollectAndCount(reg, "rowplane_hub_object_write_errors_total"); got != 1 {
		t.Errorf("a failed write is counted as an error: want 1 series, got %d", got)
	}
	if got := testutil.CollectAndCount(reg, "rowplane_hub_last_success_timestamp_seconds"); got != 1 {
		t.Errorf("a successful sync records its time: want 1 series, got %d", got)
	}
	m.Forget("tenants", "hub")
	if got := testutil.CollectAndCount(reg); got != 0 {
		t.Errorf("Forget drops every series of the Hub: %d left", got)
	}
}
