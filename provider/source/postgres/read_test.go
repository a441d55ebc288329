package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rowplane/rowplane/provider/source/postgres"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
)

func open(t *testing.T, c postgres.Connection) *pgxpool.Pool {
	t.Helper()
	pool := postgres.NewPool()
	t.Cleanup(pool.Close)
	db, err := pool.DB(t.Name(), c)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestReadTypedRows proves every type maps to the value mysql.Read gives for its MySQL twin.
func TestReadTypedRows(t *testing.T) {
	t.Parallel()
	d := pgtest.New(t)
	d.Exec(t,
		`CREATE TYPE tier AS ENUM ('gold', 'silver')`,
		`CREATE TABLE nodes (
			node_id varchar(63) PRIMARY KEY,
			is_active boolean DEFAULT true,
			small int2, storage int4, big int8,
			price numeric(10,2), ratio float4, score float8,
			created timestamptz, local_at timestamp, day date,
			labels jsonb, raw json, id uuid, code char(4), level tier,
			unused text
		)`,
		`INSERT INTO nodes VALUES ('acme', true, 2, 50, 9007199254740993, 12.50, 1.1, 0.25,
			'2026-07-01 17:30:00+05', '2026-07-01 12:30:00.5', '2026-07-01',
			'{"tier":"gold","n":[1,2]}', '[true]', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'ab', 'gold', 'x')`,
		`INSERT INTO nodes (node_id, is_active) VALUES ('nulls', NULL)`,
	)
	got, err := postgres.Read(context.Background(), open(t, d.Connection()), postgres.Query{
		Table: "public.nodes",
		Columns: []string{"node_id", "is_active", "small", "storage", "big", "price", "ratio", "score",
			"created", "local_at", "day", "labels", "raw", "id", "code", "level", "node_id"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []postgres.Row{
		{"node_id": "acme", "is_active": true, "small": int64(2), "storage": int64(50), "big": int64(9007199254740993),
			"price": json.Number("12.50"), "ratio": 1.1, "score": 0.25,
			"created": "2026-07-01T12:30:00Z", "local_at": "2026-07-01T12:30:00.5Z", "day": "2026-07-01",
			"labels": map[string]any{"tier": "gold", "n": []any{1.0, 2.0}}, "raw": []any{true},
			"id": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "code": "ab", "level": "gold"},
		{"node_id": "nulls", "is_active": nil, "small": nil, "storage": nil, "big": nil, "price": nil, "ratio": nil, "score": nil,
			"created": nil, "local_at": nil, "day": nil, "labels": nil, "raw": nil, "id": nil, "code": nil, "level": nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read: -want +got:\n%s", diff)
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	d := pgtest.New(t)
	d.Exec(t, `CREATE TABLE nodes (node_id varchar(63), "isActive" boolean, secret text)`,
		`INSERT INTO nodes VALUES ('acme', true, 's')`, `CREATE TABLE hidden (node_id text)`)
	reader, _ := d.NewUser(t)
	d.Exec(t, `GRANT SELECT (node_id) ON nodes TO "`+reader+`"`)
	c := d.Connection()
	db := open(t, c)
	limited := c
	limited.User = reader
	closed := c
	closed.Port = 1 // nothing listens on port 1
	cases := map[string]struct {
		reason string
		conn   *postgres.Connection
		query  postgres.Query
		want   string
	}{
		"MissingTable":  {reason: "a missing table is an error, not an empty result", query: postgres.Query{Table: "gone", Columns: []string{"node_id"}}, want: `table "gone" does not exist or the user cannot read it`},
		"MissingSchema": {reason: "a missing schema is the same error", query: postgres.Query{Table: "gone.nodes", Columns: []string{"node_id"}}, want: "does not exist"},
		"MissingColumn": {reason: "a missing column is named", query: postgres.Query{Table: "nodes", Columns: []string{"node_id", "plan"}}, want: `no column "plan"`},
		"ColumnCase":    {reason: "a column that differs only in case is suggested", query: postgres.Query{Table: "nodes", Columns: []string{"isactive"}}, want: `did you mean "isActive"`},
		"BadIdentifier": {reason: "an unsafe column name never reaches the server", query: postgres.Query{Table: "nodes", Columns: []string{`node_id"; --`}}, want: "identifier"},
		"TwoDots":       {reason: "a table has at most a schema", query: postgres.Query{Table: "a.b.c", Columns: []string{"node_id"}}, want: "at most one dot"},
		"NoTableGrant":  {reason: "a table the user may not select is as good as missing", conn: &limited, query: postgres.Query{Table: "hidden", Columns: []string{"node_id"}}, want: "does not exist or the user cannot read it"},
		"NoColumnGrant": {reason: "a column the user may not select is missing", conn: &limited, query: postgres.Query{Table: "nodes", Columns: []string{"node_id", "secret"}}, want: `no column "secret"`},
		"ClosedPort":    {reason: "an unreachable server fails the ping", conn: &closed, query: postgres.Query{Table: "nodes", Columns: []string{"node_id"}}, want: "ping"},
		"QueryTimeout":  {reason: "the timeout bounds the read", query: postgres.Query{Table: "nodes", Columns: []string{"node_id"}, Timeout: time.Nanosecond}, want: "ping"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			use := db
			if tc.conn != nil {
				use = open(t, *tc.conn)
			}
			rows, err := postgres.Read(context.Background(), use, tc.query)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s\nRead: error %v, want it to contain %q", tc.reason, err, tc.want)
			}
			if rows != nil {
				t.Errorf("%s\nRead returned %d rows with an error", tc.reason, len(rows))
			}
		})
	}
}

// TestReadHidesCredentials proves a refused login names neither the user nor the password, while
// the server's error stays reachable by type.
func TestReadHidesCredentials(t *testing.T) {
	t.Parallel()
	d := pgtest.New(t)
	c := d.Connection()
	c.User, c.Password = "rp_nosuchuser_"+pgtest.RandomHex(4), "pw_"+pgtest.RandomHex(8)
	_, err := postgres.Read(context.Background(), open(t, c), postgres.Query{Table: "nodes", Columns: []string{"node_id"}})
	if err == nil {
		t.Fatal("Read as a user that does not exist: want an error")
	}
	for _, secret := range []string{c.User, c.Password} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q holds a credential", err)
		}
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28000" {
		t.Errorf("want the server's invalid_authorization_specification (28000) in the chain, got %v", err)
	}
}

func TestPoolReusesConnection(t *testing.T) {
	t.Parallel()
	pool := postgres.NewPool()
	t.Cleanup(pool.Close)
	c := postgres.Connection{Host: "db", Port: 5432, User: "u", Password: "p", Database: "d"}
	a, _ := pool.DB("pc", c)
	b, _ := pool.DB("pc", c)
	if a != b {
		t.Errorf("same identity: want the same pool")
	}
	c.Password = "rotated"
	r, _ := pool.DB("pc", c)
	if r == a {
		t.Errorf("rotated password: want a new pool")
	}
	pool.Forget("pc")
	f, _ := pool.DB("pc", c)
	if f == r {
		t.Errorf("after Forget: want a new pool")
	}
	c.TLS.Mode = "verify_full"
	if _, err := pool.DB("bad", c); err == nil || !strings.Contains(err.Error(), `unknown TLS mode "verify_full"`) {
		t.Errorf("unknown TLS mode: want our error, got %v", err)
	}
}

// TestReadSpecialValues covers what MySQL has no twin for: domains read as their base type,
// views read like tables, infinite timestamps keep PostgreSQL's spelling, and a NaN, which JSON
// cannot hold, fails the read rather than reaching a claim.
func TestReadSpecialValues(t *testing.T) {
	t.Parallel()
	d := pgtest.New(t)
	d.Exec(t, `CREATE DOMAIN gigabytes AS int4 CHECK (VALUE > 0)`,
		`CREATE TABLE envs (branch text, storage gigabytes, expires_at timestamptz, price numeric, score float8)`,
		`INSERT INTO envs VALUES ('main', 20, 'infinity', 1, 1)`,
		`CREATE VIEW live AS SELECT branch, storage, expires_at FROM envs`)
	db := open(t, d.Connection())
	got, err := postgres.Read(context.Background(), db, postgres.Query{Table: "live", Columns: []string{"branch", "storage", "expires_at"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]postgres.Row{{"branch": "main", "storage": int64(20), "expires_at": "infinity"}}, got); diff != "" {
		t.Errorf("Read from a view: -want +got:\n%s", diff)
	}
	for col, want := range map[string]string{"price": `row 1 column "price": numeric NaN`, "score": `row 1 column "score": float NaN`} {
		d.Exec(t, `UPDATE envs SET `+col+` = 'NaN'`)
		rows, err := postgres.Read(context.Background(), db, postgres.Query{Table: "envs", Columns: []string{col}})
		if err == nil || !strings.Contains(err.Error(), want) || rows != nil {
			t.Errorf("NaN in %s: want no rows and an error containing %q, got %d rows, %v", col, want, len(rows), err)
		}
	}
}
