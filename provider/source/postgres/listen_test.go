package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/provider/source/postgres"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
)

// TestListenerHints installs the trigger on a schema-qualified table, then checks that every
// kind of change is hinted and that a listener whose backend is killed reconnects and hints
// again, so the caller reads what it may have missed.
func TestListenerHints(t *testing.T) {
	t.Parallel()
	d := pgtest.New(t)
	d.Exec(t, `CREATE SCHEMA app`, `CREATE TABLE app.nodes (node_id text PRIMARY KEY, plan text)`)
	trigger, err := postgres.TriggerSQL("app.nodes", "rowplane_hints")
	if err != nil {
		t.Fatal(err)
	}
	d.Exec(t, trigger, trigger) // a second run replaces, it does not fail

	hints := make(chan postgres.Hint, 16)
	var lost atomic.Int32
	l := &postgres.Listener{Connection: d.Connection(), Channel: "rowplane_hints", RetryDelay: 10 * time.Millisecond,
		Hinted: func(h postgres.Hint) { hints <- h }, Lost: func(error) { lost.Add(1) }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run after cancel: want context.Canceled, got %v", err)
		}
	})
	expect(t, hints, postgres.Hint{Connected: true}, "the first connect asks for a full read")
	for _, stmt := range []string{
		`INSERT INTO app.nodes VALUES ('a', 'gold'), ('b', 'gold')`,
		`UPDATE app.nodes SET plan = 'silver'`,
		`DELETE FROM app.nodes WHERE node_id = 'a'`,
		`TRUNCATE app.nodes`,
	} {
		d.Exec(t, stmt)
		expect(t, hints, postgres.Hint{Payload: "app.nodes"}, stmt+" is hinted once, with the table as payload")
	}

	var killed bool
	err = d.Pool.QueryRow(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND application_name = 'rowplane-listener'`, d.Name).Scan(&killed)
	if err != nil || !killed {
		t.Fatalf("terminate the listener's backend: %v, %v", killed, err)
	}
	expect(t, hints, postgres.Hint{Connected: true}, "a reconnect asks for a full read")
	if lost.Load() == 0 {
		t.Error("the lost connection was not reported")
	}
	d.Exec(t, `INSERT INTO app.nodes VALUES ('c', 'gold')`)
	expect(t, hints, postgres.Hint{Payload: "app.nodes"}, "the new connection listens too")
}

// expect waits for the next hint; the deadline only bounds a failing test.
func expect(t *testing.T, hints <-chan postgres.Hint, want postgres.Hint, reason string) {
	t.Helper()
	select {
	case got := <-hints:
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s: -want +got:\n%s", reason, diff)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: no hint within 20s", reason)
	}
}

func TestListenerRefusesBadSettings(t *testing.T) {
	t.Parallel()
	hinted := func(postgres.Hint) {}
	cases := map[string]struct {
		reason string
		l      postgres.Listener
		want   string
	}{
		"Channel":  {reason: "an unsafe channel never reaches the server", l: postgres.Listener{Channel: "a b", Hinted: hinted}, want: "channel"},
		"TLS":      {reason: "a bad TLS mode fails at once rather than retrying forever", l: postgres.Listener{Channel: "c", Hinted: hinted, Connection: postgres.Connection{TLS: postgres.TLS{Mode: "nope"}}}, want: "unknown TLS mode"},
		"NoHinted": {reason: "a listener must have somewhere to send hints", l: postgres.Listener{Channel: "c"}, want: "Hinted"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := tc.l.Run(context.Background()); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s\nRun: error %v, want it to contain %q", tc.reason, err, tc.want)
			}
		})
	}
}

func TestTriggerSQL(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason, table, channel string
		want                   []string
		wantErr                string
	}{
		"Plain":       {reason: "the function lives in the search path's schema", table: "nodes", channel: "hints", want: []string{"FUNCTION rowplane_notify()", `TRIGGER "rowplane_notify_hints"`, `ON "nodes" FOR EACH STATEMENT`, "rowplane_notify('hints', 'nodes')"}},
		"Qualified":   {reason: "the function lives in the table's schema", table: "app.nodes", channel: "hints", want: []string{`FUNCTION "app".rowplane_notify()`, `ON "app"."nodes"`, `"app".rowplane_notify('hints', 'app.nodes')`}},
		"BadTable":    {reason: "an unsafe table is refused", table: "nodes'; --", channel: "hints", wantErr: "identifier"},
		"BadChannel":  {reason: "an unsafe channel is refused", table: "nodes", channel: "a'b", wantErr: "channel"},
		"LongChannel": {reason: "a channel too long for the trigger's name is refused, not truncated", table: "nodes", channel: strings.Repeat("c", 50), wantErr: "too long"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := postgres.TriggerSQL(tc.table, tc.channel)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("%s\nerror %v, want it to contain %q", tc.reason, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s\nSQL lacks %q:\n%s", tc.reason, w, got)
				}
			}
		})
	}
}
