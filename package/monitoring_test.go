package packages

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/yaml"

	fnmetrics "github.com/rowplane/rowplane/fn/metrics"
	"github.com/rowplane/rowplane/internal/devstack/tool"
	"github.com/rowplane/rowplane/provider/metrics"
)

const monitoring = "install/monitoring"

// promtool returns the pinned promtool.
func promtool(t *testing.T) string { return tool.Require(t, "ROWPLANE_PROMTOOL", "promtool") }

type ruleGroups struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			Alert string `json:"alert"`
			Expr  string `json:"expr"`
		} `json:"rules"`
	} `json:"groups"`
}

// rulesFile returns the PrometheusRule's spec, which is a Prometheus rules file.
func rulesFile(t *testing.T) ([]byte, ruleGroups) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(monitoring, "prometheusrule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pr := struct {
		Kind string          `json:"kind"`
		Spec json.RawMessage `json:"spec"`
	}{}
	if err := yaml.Unmarshal(b, &pr); err != nil {
		t.Fatal(err)
	}
	if pr.Kind != "PrometheusRule" {
		t.Fatalf("prometheusrule.yaml: kind %q, want PrometheusRule", pr.Kind)
	}
	rg := ruleGroups{}
	if err := json.Unmarshal(pr.Spec, &rg); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.JSONToYAML(pr.Spec)
	if err != nil {
		t.Fatal(err)
	}
	return out, rg
}

// TestAlertRules checks the PrometheusRule with promtool and runs its unit tests, which fire
// and clear every alert from synthetic series.
func TestAlertRules(t *testing.T) {
	t.Parallel()
	bin := promtool(t)
	rules, rg := rulesFile(t)
	dir := t.TempDir()
	tests, err := os.ReadFile(filepath.Join(monitoring, "rules_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"rules.yaml": rules, "rules_test.yaml": tests} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"check", "rules", "rules.yaml"}, {"test", "rules", "rules_test.yaml"}} {
		cmd := exec.Command(bin, args...) //nolint:gosec // the pinned promtool.
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	// Every alert has a test that fires it.
	tested := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*alertname:\s*(\S+)`).FindAllStringSubmatch(string(tests), -1) {
		tested[m[1]] = true
	}
	var alerts []string
	for _, g := range rg.Groups {
		for _, r := range g.Rules {
			alerts = append(alerts, r.Alert)
			if !tested[r.Alert] {
				t.Errorf("alert %s has no promtool unit test in rules_test.yaml", r.Alert)
			}
		}
	}
	if len(alerts) < 7 {
		t.Errorf("want at least seven alerts, got %v", alerts)
	}
}

// registeredMetrics returns the names of every metric the provider and the function register,
// each made to report once so that vectors show up.
func registeredMetrics(t *testing.T) map[string]bool {
	t.Helper()
	reg := prometheus.NewRegistry()
	pm := metrics.New(reg)
	pm.RowsSet("ns", "h", map[string]int{metrics.RowsActive: 1})
	pm.ClaimsSet("ns", "h", map[string]int{metrics.ClaimsReady: 1})
	pm.SyncDone("ns", "h", metrics.ResultSuccess, time.Second, time.Minute)
	pm.SyncError("ns", "h", "query")
	pm.Write("ns", "h", metrics.OpCreate, nil)
	pm.Write("ns", "h", metrics.OpCreate, errors.New("x"))
	pm.PausedDeletions("ns", "h", 1)
	fm := fnmetrics.New(reg)
	fm.Observe(time.Millisecond, fnmetrics.ReasonRender)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
		if mf.GetType().String() == "HISTOGRAM" {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				names[mf.GetName()+s] = true
			}
		}
	}
	return names
}

var metricName = regexp.MustCompile(`\browplane_[a-z_]+\b`)

// TestMonitoringQueriesRegisteredMetrics proves the dashboard and the alerts query only metrics
// the code registers, and the dashboard shows every one of them.
func TestMonitoringQueriesRegisteredMetrics(t *testing.T) {
	t.Parallel()
	registered := registeredMetrics(t)
	b, err := os.ReadFile(filepath.Join(monitoring, "dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	dash := struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}{}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("dashboard.json is not JSON: %v", err)
	}
	shown := map[string]bool{}
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			for _, m := range metricName.FindAllString(q.Expr, -1) {
				shown[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_sum"), "_count")] = true
				if !registered[m] {
					t.Errorf("panel %q queries %s, which the code does not register", p.Title, m)
				}
			}
		}
	}
	_, rg := rulesFile(t)
	for _, g := range rg.Groups {
		for _, r := range g.Rules {
			for _, m := range metricName.FindAllString(r.Expr, -1) {
				if !registered[m] {
					t.Errorf("alert %s queries %s, which the code does not register", r.Alert, m)
				}
			}
		}
	}
	var missing []string
	for m := range registered {
		if strings.HasPrefix(m, "rowplane_") && !strings.HasSuffix(m, "_bucket") && !strings.HasSuffix(m, "_sum") && !strings.HasSuffix(m, "_count") && !shown[m] {
			missing = append(missing, m)
		}
	}
	sort.Strings(missing)
	if diff := cmp.Diff([]string(nil), missing); diff != "" {
		t.Errorf("every rowplane metric has a dashboard panel; missing: %s", diff)
	}
}
