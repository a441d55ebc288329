package hubsync_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hubsync"
)

// logSink keeps every log line as text.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (s *logSink) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

// logs is a logging.Logger writing into a logSink.
type logs struct {
	sink *logSink
	kv   []any
}

func newLogs() logs { return logs{sink: &logSink{}} }

func (l logs) add(msg string, kv ...any) {
	l.sink.mu.Lock()
	defer l.sink.mu.Unlock()
	l.sink.lines = append(l.sink.lines, fmt.Sprint(msg, l.kv, kv))
}
func (l logs) Info(msg string, kv ...any)  { l.add(msg, kv...) }
func (l logs) Debug(msg string, kv ...any) { l.add(msg, kv...) }
func (l logs) WithValues(kv ...any) logging.Logger {
	return logs{sink: l.sink, kv: append(append([]any{}, l.kv...), kv...)}
}

// leaks returns where s appears in the Hub's status, its events and the log lines.
func (h *harness) leaks(l logs, s string) []string {
	h.t.Helper()
	var out []string
	st, _ := json.Marshal(h.getHub().Status)
	if strings.Contains(string(st), s) {
		out = append(out, "status: "+string(st))
	}
	h.rec.mu.Lock()
	for _, e := range h.rec.events {
		if strings.Contains(e.Message, s) {
			out = append(out, "event "+string(e.Reason)+": "+e.Message)
		}
	}
	h.rec.mu.Unlock()
	for _, line := range l.sink.all() {
		if strings.Contains(line, s) {
			out = append(out, "log: "+line)
		}
	}
	return out
}

// TestTargetMustBeXR aims a Hub at the provider's own ClusterProviderConfig, with row values
// that would point it at another namespace's Secret: the attack that read a Secret back through
// a Hub's status. Only claim and composite kinds of XRDs may be targets.
func TestTargetMustBeXR(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	stolen := "stolen-" + h.ns
	h.db.Exec(t, `CREATE TABLE pcs (id VARCHAR(63), active BOOLEAN, host VARCHAR(63), db VARCHAR(63), creds LONGTEXT)`,
		`INSERT INTO pcs VALUES ('`+stolen+`', TRUE, '127.0.0.1', 'x', '{"secretRef": {"namespace": "kube-system", "name": "victim"}, "usernameKey": "password"}')`)
	h.createHub(func(hub *v1alpha1.Hub) {
		hub.Spec.Table = "pcs"
		hub.Spec.ValueMappings = v1alpha1.ValueMappings{UID: "id", Activate: "active"}
		hub.Spec.ExtraValueMappings = map[string]string{"host": "host", "database": "db", "credentials": "creds"}
		hub.Spec.Targets = []v1alpha1.Target{{APIVersion: v1alpha1.SchemeGroupVersion.String(), Kind: v1alpha1.ClusterProviderConfigKind}}
	})
	h.sync()
	err := h.c.Get(h.ctx, types.NamespacedName{Name: stolen}, &v1alpha1.ClusterProviderConfig{})
	if !kerrors.IsNotFound(err) {
		t.Errorf("a Hub wrote ClusterProviderConfig %s (get: %v); only claims and composite resources may be written", stolen, err)
	}
	s, msg := h.condition(xpv2.TypeSynced)
	if s != "False/"+string(hubsync.ReasonConfigError) || !strings.Contains(msg, "spec.targets[0]") || !strings.Contains(msg, "claims and composite resources") {
		t.Errorf("Synced: want False/ConfigurationError naming spec.targets[0], got %s %q", s, msg)
	}
	if !h.rec.has(hubsync.ReasonConfigError, "ClusterProviderConfig", "claims and composite resources") {
		t.Errorf("want a %s event naming the kind", hubsync.ReasonConfigError)
	}
}

// TestLoginFailureIsRedacted logs in as a user the server does not know: the server's message
// quotes the username, which came from a Secret, and it must not reach status, events or logs.
func TestLoginFailureIsRedacted(t *testing.T) {
	t.Parallel()
	l := newLogs()
	h := newHarness(t, hubsync.WithLogger(l))
	user, pass := "rp_nouser_"+h.ns[len(h.ns)-5:], "pw-"+h.ns
	h.providerConfig("unknown", user, pass, h.db.Port)
	h.seedHub(func(hub *v1alpha1.Hub) {
		hub.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "unknown"}
	}, tenRows())
	h.sync()
	if s, _ := h.condition(xpv2.TypeSynced); s != "False/ReconcileError" {
		t.Fatalf("an unknown user: want Synced False/ReconcileError, got %s", s)
	}
	if !h.rec.has(hubsync.ReasonQueryFailed, "nothing was created, updated or deleted") {
		t.Errorf("want a %s event", hubsync.ReasonQueryFailed)
	}
	for name, secret := range map[string]string{"username": user, "password": pass} {
		if where := h.leaks(l, secret); len(where) > 0 {
			t.Errorf("the %s from the Secret leaks into:\n%s", name, strings.Join(where, "\n"))
		}
	}
}

// TestAllRowsInvalidIsEmptyTable upper-cases every uid, which makes every row invalid (not a
// DNS name) and every claim a deletion: with maxPercent 100 and allowEmpty this used to delete
// every claim without a pause.
func TestAllRowsInvalidIsEmptyTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedHub(func(hub *v1alpha1.Hub) {
		hub.Spec.Deletion.MaxPercent = ptr.To[int32](100)
		hub.Spec.Deletion.AllowEmpty = true
	}, `INSERT INTO nodes (node_id) VALUES ('a'), ('b'), ('c'), ('d'), ('e')`)
	h.sync()
	h.db.Exec(t, `UPDATE nodes SET node_id = UPPER(node_id)`)
	if got := h.sync(); got != 0 {
		t.Errorf("every row invalid: want 0 claim writes, got %d", got)
	}
	if got := len(h.claims()); got != 5 {
		t.Errorf("every row invalid: want all 5 claims kept, got %d", got)
	}
	if s, msg := h.condition(v1alpha1.TypeDeletionsPaused); s != "True/EmptyTable" || !strings.Contains(msg, "none of the 5 active rows is valid") {
		t.Errorf("every row invalid: want DeletionsPaused True/EmptyTable, got %s %q", s, msg)
	}
	if st := h.getHub().Status; st.InvalidRows != 5 || st.PendingDeletions != 5 {
		t.Errorf("status: want 5 invalid rows and 5 pending deletions, got %d and %d", st.InvalidRows, st.PendingDeletions)
	}
}

// TestStatusFitsHugeValues puts 400 KiB of text into an integer column of six rows while a
// batch of deletions is held: the status must still be written, with the count to approve.
func TestStatusFitsHugeValues(t *testing.T) {
	t.Parallel()
	l := newLogs()
	h := newHarness(t, hubsync.WithLogger(l))
	h.db.Exec(t, strings.Replace(seedTable, "db_storage_gb INT DEFAULT 20", "db_storage_gb LONGTEXT", 1), tenRows())
	h.createHub(nil)
	h.sync()
	h.db.Exec(t,
		`UPDATE nodes SET db_storage_gb = REPEAT('x', 409600) WHERE node_id <= 'tenant-05'`,
		`UPDATE nodes SET is_active = FALSE WHERE node_id IN ('tenant-06', 'tenant-07', 'tenant-08')`)
	h.sync()
	hub := h.getHub()
	st := hub.Status
	if st.InvalidRows != 6 || len(st.InvalidRowSamples) != 6 || st.PendingDeletions != 3 || st.PendingDeletionBatch == "" {
		t.Errorf("status: want 6 invalid rows listed, 3 pending deletions and their batch, got %d, %d, %d, %q",
			st.InvalidRows, len(st.InvalidRowSamples), st.PendingDeletions, st.PendingDeletionBatch)
	}
	b, _ := json.Marshal(st)
	if len(b) > 32<<10 {
		t.Errorf("status is %d bytes, want at most 32 KiB", len(b))
	}
	t.Logf("status with 6 rows of 400 KiB values: %d bytes", len(b))
	for _, ir := range st.InvalidRowSamples {
		if len(ir.Reason) > 512 || !strings.Contains(ir.Reason, "409600 bytes") {
			t.Errorf("invalid row %s: want a reason of at most 512 bytes giving the value's length, got %d bytes", ir.Key, len(ir.Reason))
		}
	}
	h.rec.mu.Lock()
	for _, e := range h.rec.events {
		if len(e.Message) > 4096 {
			t.Errorf("event %s is %d bytes, want at most 4 KiB", e.Reason, len(e.Message))
		}
	}
	h.rec.mu.Unlock()
	for _, line := range l.sink.all() {
		if len(line) > 8192 {
			t.Errorf("a log line is %d bytes, want at most 8 KiB", len(line))
		}
	}
	if got := len(h.claims()); got != 10 {
		t.Errorf("want all 10 claims kept, got %d", got)
	}
}
