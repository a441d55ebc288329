package mysql_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/provider/source/mysql"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

func TestReadTypedRows(t *testing.T) {
	t.Parallel()
	d := mysqltest.New(t)
	d.Exec(t,
		`CREATE TABLE nodes (
			node_id VARCHAR(63) PRIMARY KEY,
			is_active BOOLEAN DEFAULT TRUE,
			db_instance_class VARCHAR(30) DEFAULT 'db.t3.micro',
			db_storage_gb INT DEFAULT 20,
			db_multi_az BOOLEAN DEFAULT FALSE,
			price DECIMAL(10,2),
			created DATETIME,
			labels JSON,
			unused TEXT
		)`,
		`INSERT INTO nodes VALUES ('acme', 1, 'db.t3.small', 50, 0, 12.50, '2026-07-01 12:30:00', '{"tier":"gold"}', 'x')`,
		`INSERT INTO nodes (node_id, is_active, db_instance_class, db_storage_gb, db_multi_az) VALUES ('nulls', NULL, NULL, NULL, NULL)`,
	)
	pool := mysql.NewPool()
	t.Cleanup(pool.Close)
	db, err := pool.DB("test", mysql.Connection{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Database: d.Name, TLS: mysql.TLS{Mode: mysql.ModeDisabled}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got, err := mysql.Read(context.Background(), db, mysql.Query{
		Table:   "nodes",
		Columns: []string{"node_id", "is_active", "db_instance_class", "db_storage_gb", "db_multi_az", "price", "created", "labels", "node_id"},
	})
	if err != nil {
		t.Fatal(err)
	}
	labels := any(map[string]any{"tier": "gold"})
	// MariaDB stores JSON as LONGTEXT, so the driver sees text; MySQL reports json.
	if v, _ := got[0]["labels"].(string); v != "" {
		labels = v
	}
	want := []mysql.Row{
		{"node_id": "acme", "is_active": true, "db_instance_class": "db.t3.small", "db_storage_gb": int64(50), "db_multi_az": false, "price": json.Number("12.50"), "created": "2026-07-01T12:30:00Z", "labels": labels},
		{"node_id": "nulls", "is_active": nil, "db_instance_class": nil, "db_storage_gb": nil, "db_multi_az": nil, "price": nil, "created": nil, "labels": nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read: -want +got:\n%s", diff)
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	d := mysqltest.New(t)
	d.Exec(t, `CREATE TABLE nodes (node_id VARCHAR(63), is_active BOOLEAN)`)
	pool := mysql.NewPool()
	t.Cleanup(pool.Close)
	conn := mysql.Connection{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Database: d.Name, TLS: mysql.TLS{Mode: mysql.ModeDisabled}, Timeout: 3 * time.Second}
	db, err := pool.DB("test", conn)
	if err != nil {
		t.Fatal(err)
	}
	closed := conn
	closed.Port = 1 // nothing listens on port 1
	closedDB, err := pool.DB("closed", closed)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason string
		db     func() any
		query  mysql.Query
		want   string
	}{
		"MissingTable":  {reason: "a missing table is an error, not an empty result", query: mysql.Query{Table: "gone", Columns: []string{"node_id"}}, want: "does not exist"},
		"MissingColumn": {reason: "a missing column is named", query: mysql.Query{Table: "nodes", Columns: []string{"node_id", "plan"}}, want: `no column "plan"`},
		"BadIdentifier": {reason: "an unsafe column name never reaches the server", query: mysql.Query{Table: "nodes", Columns: []string{"node_id`; --"}}, want: "identifier"},
		"ClosedPort":    {reason: "an unreachable server fails the ping", query: mysql.Query{Table: "nodes", Columns: []string{"node_id"}}, want: "ping"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			use := db
			if name == "ClosedPort" {
				use = closedDB
			}
			rows, err := mysql.Read(context.Background(), use, tc.query)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s\nRead: error %v, want it to contain %q", tc.reason, err, tc.want)
			}
			if rows != nil {
				t.Errorf("%s\nRead returned %d rows with an error", tc.reason, len(rows))
			}
		})
	}
}

func TestPoolReusesConnection(t *testing.T) {
	t.Parallel()
	pool := mysql.NewPool()
	t.Cleanup(pool.Close)
	c := mysql.Connection{Host: "db", Port: 3306, User: "u", Password: "p", Database: "d"}
	a, _ := pool.DB("pc", c)
	b, _ := pool.DB("pc", c)
	if a != b {
		t.Errorf("same identity: want the same *sql.DB")
	}
	c.Password = "rotated"
	r, _ := pool.DB("pc", c)
	if r == a {
		t.Errorf("rotated password: want a new *sql.DB")
	}
}

// TestReadTimestampInUTC proves a TIMESTAMP comes back as the instant it stores, in UTC, whatever
// zone the writer's session was in: the pool puts its sessions in UTC, so a server in another
// zone cannot shift a Hub's expiresAt.
func TestReadTimestampInUTC(t *testing.T) {
	t.Parallel()
	d := mysqltest.New(t)
	d.Exec(t, `CREATE TABLE envs (branch VARCHAR(63) PRIMARY KEY, expires_at TIMESTAMP NULL)`)
	ctx := context.Background()
	writer, err := d.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close() //nolint:errcheck // test connection.
	for _, s := range []string{`SET time_zone = '+05:00'`, `INSERT INTO envs VALUES ('feat-a', '2026-07-01 17:30:00')`} {
		if _, err := writer.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	pool := mysql.NewPool()
	t.Cleanup(pool.Close)
	db, err := pool.DB("test", mysql.Connection{Host: d.Host, Port: d.Port, User: d.User, Password: d.Password, Database: d.Name, TLS: mysql.TLS{Mode: mysql.ModeDisabled}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var zone string
	if err := db.QueryRowContext(ctx, `SELECT @@session.time_zone`).Scan(&zone); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("+00:00", zone); diff != "" {
		t.Errorf("pooled sessions are in UTC: -want +got:\n%s", diff)
	}
	got, err := mysql.Read(ctx, db, mysql.Query{Table: "envs", Columns: []string{"branch", "expires_at"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []mysql.Row{{"branch": "feat-a", "expires_at": "2026-07-01T12:30:00Z"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("17:30 at +05:00 is 12:30 UTC: -want +got:\n%s", diff)
	}
}
