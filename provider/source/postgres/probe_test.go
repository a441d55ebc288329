package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rowplane/rowplane/provider/source/postgres"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
)

// TestProbeChanges applies one change after another and checks each against the fingerprint
// before it: every change to the mapped columns shows, a change to another column does not.
func TestProbeChanges(t *testing.T) {
	t.Parallel()
	d := pgtest.New(t)
	d.Exec(t, `CREATE TABLE nodes (node_id text, plan text, note text)`,
		`INSERT INTO nodes VALUES ('a', 'gold', 'x'), ('b', '', 'y')`)
	db := open(t, d.Connection())
	q := postgres.Query{Table: "nodes", Columns: []string{"node_id", "plan"}}
	steps := []struct {
		reason  string
		stmt    string
		changed bool
	}{
		{reason: "a column the Hub does not map is not a change", stmt: `UPDATE nodes SET note = 'z'`},
		{reason: "an insert is a change", stmt: `INSERT INTO nodes VALUES ('c', 'silver', 'x')`, changed: true},
		{reason: "an update of a mapped column is a change", stmt: `UPDATE nodes SET plan = 'platinum' WHERE node_id = 'a'`, changed: true},
		{reason: "'' to NULL is a change", stmt: `UPDATE nodes SET plan = NULL WHERE node_id = 'b'`, changed: true},
		{reason: "NULL to '' is a change", stmt: `UPDATE nodes SET plan = '' WHERE node_id = 'b'`, changed: true},
		{reason: "a delete is a change", stmt: `DELETE FROM nodes WHERE node_id = 'c'`, changed: true},
		{reason: "two identical rows are a change", stmt: `INSERT INTO nodes VALUES ('t', 'x', ''), ('t', 'x', '')`, changed: true},
		{reason: "updating two identical rows alike is a change (an XOR of hashes would miss it)", stmt: `UPDATE nodes SET plan = 'y' WHERE node_id = 't'`, changed: true},
		{reason: "moving a separator between values is a change", stmt: `UPDATE nodes SET node_id = 't,', plan = 'y' WHERE node_id = 't' AND plan = 'y'`, changed: true},
	}
	before, err := postgres.Probe(context.Background(), db, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		d.Exec(t, s.stmt)
		after, err := postgres.Probe(context.Background(), db, q)
		if err != nil {
			t.Fatal(err)
		}
		if got := after != before; got != s.changed {
			t.Errorf("%s\n%s: fingerprint %v -> %v, want changed=%v", s.reason, s.stmt, before, after, s.changed)
		}
		before = after
	}
	if _, err := postgres.Probe(context.Background(), db, postgres.Query{Table: "nodes", Columns: []string{`x"`}}); err == nil {
		t.Error("an unsafe column name: want an error")
	}
}

// BenchmarkProbe measures one probe of four mapped columns over 10k and 100k rows, as server
// time per probe (ms/op). Run with go test -run '^$' -bench Probe.
func BenchmarkProbe(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			d := pgtest.New(b)
			d.Exec(b, `CREATE TABLE nodes (node_id text PRIMARY KEY, plan text, storage int, active boolean, note text)`,
				fmt.Sprintf(`INSERT INTO nodes SELECT 'node-' || i, 'plan-' || (i %% 7), i %% 500, i %% 2 = 0, repeat('x', 100)
					FROM generate_series(1, %d) i`, n), `ANALYZE nodes`)
			pool := postgres.NewPool()
			b.Cleanup(pool.Close)
			db, err := pool.DB("bench", d.Connection())
			if err != nil {
				b.Fatal(err)
			}
			q := postgres.Query{Table: "nodes", Columns: []string{"node_id", "plan", "storage", "active"}}
			b.ResetTimer()
			for b.Loop() {
				if _, err := postgres.Probe(context.Background(), db, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}
