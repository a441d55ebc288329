package mysql_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rowplane/rowplane/provider/source/mysql"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

// TestProbeChanges applies one change after another and checks each against the fingerprint
// before it: every change to the mapped columns shows, a change to another column does not.
func TestProbeChanges(t *testing.T) {
	t.Parallel()
	d := mysqltest.New(t)
	d.Exec(t, `CREATE TABLE nodes (node_id VARCHAR(63), plan VARCHAR(63), note TEXT)`,
		`INSERT INTO nodes VALUES ('a', 'gold', 'x'), ('b', '', 'y')`)
	pool := mysql.NewPool()
	t.Cleanup(pool.Close)
	db, err := pool.DB("test", mysql.Connection{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Database: d.Name, TLS: mysql.TLS{Mode: mysql.ModeDisabled}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	q := mysql.Query{Table: "nodes", Columns: []string{"node_id", "plan"}}
	steps := []struct {
		reason  string
		stmt    string
		changed bool
	}{
		{reason: "a change of case is a change, whatever the collation", stmt: `UPDATE nodes SET plan = 'GOLD' WHERE node_id = 'a'`, changed: true},
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
	before, err := mysql.Probe(context.Background(), db, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		d.Exec(t, s.stmt)
		after, err := mysql.Probe(context.Background(), db, q)
		if err != nil {
			t.Fatal(err)
		}
		if got := after != before; got != s.changed {
			t.Errorf("%s\n%s: fingerprint %v -> %v, want changed=%v", s.reason, s.stmt, before, after, s.changed)
		}
		before = after
	}
	if _, err := mysql.Probe(context.Background(), db, mysql.Query{Table: "nodes", Columns: []string{`x"`}}); err == nil {
		t.Error("an unsafe column name: want an error")
	}
}

// BenchmarkProbe measures one probe of four mapped columns over 10k and 100k rows, as server
// time per probe (ms/op). Run with go test -run '^$' -bench Probe.
func BenchmarkProbe(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			d := mysqltest.New(b)
			// Digits cross-joined make the rows: MySQL has no generate_series, and a recursive
			// CTE of 100k rows exceeds its default recursion depth.
			d.Exec(b, `CREATE TABLE digits (i INT)`, `INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)`,
				`CREATE TABLE nodes (node_id VARCHAR(63) PRIMARY KEY, plan VARCHAR(30), storage INT, active BOOLEAN, note TEXT)`,
				fmt.Sprintf(`INSERT INTO nodes SELECT CONCAT('node-', n), CONCAT('plan-', n %% 7), n %% 500, n %% 2 = 0, REPEAT('x', 100)
					FROM (SELECT a.i + 10*b.i + 100*c.i + 1000*d.i + 10000*e.i AS n
					FROM digits a, digits b, digits c, digits d, digits e) s WHERE n < %d`, n), `ANALYZE TABLE nodes`)
			pool := mysql.NewPool()
			b.Cleanup(pool.Close)
			db, err := pool.DB("bench", mysql.Connection{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Database: d.Name, TLS: mysql.TLS{Mode: mysql.ModeDisabled}, Timeout: 5 * time.Second})
			if err != nil {
				b.Fatal(err)
			}
			q := mysql.Query{Table: "nodes", Columns: []string{"node_id", "plan", "storage", "active"}}
			b.ResetTimer()
			for b.Loop() {
				if _, err := mysql.Probe(context.Background(), db, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}
