// Package pgtest gives integration tests a private database on the test PostgreSQL server, or
// a private server of their own (StartServer, StartTLSServer) that they may stop and restart.
//
// The server comes from ROWPLANE_TEST_POSTGRES_DSN (default user root without a password on
// 127.0.0.1:5432, trust authentication, which .ci/run provides). When it cannot be reached a
// test is skipped, except under CI=true where that is a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rowplane/rowplane/internal/devstack/tool"
	"github.com/rowplane/rowplane/provider/source/postgres"
)

// DefaultDSN is used when ROWPLANE_TEST_POSTGRES_DSN is unset.
const DefaultDSN = "postgres://root@127.0.0.1:5432/postgres?sslmode=disable"

// A Database is a freshly created database that is dropped when the test ends.
type Database struct {
	// Name of the database, rowplane_test_<random>.
	Name string
	// Host, Port, User and Password reach it as the server's admin user.
	Host     string
	Port     int
	User     string
	Password string
	// Pool holds admin connections to the database.
	Pool *pgxpool.Pool
}

// Unavailable skips the test, or fails it under CI=true where every tool must be present.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	tool.Unavailable(t, format, args...)
}

// New creates a database with a unique name on the test server and drops it (and only it) when
// the test ends.
func New(t testing.TB) *Database {
	t.Helper()
	dsn := os.Getenv("ROWPLANE_TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = DefaultDSN
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("ROWPLANE_TEST_POSTGRES_DSN: %v", err)
	}
	cfg.ConnectTimeout = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		Unavailable(t, "PostgreSQL test server at %s:%d is not reachable: %v", cfg.Host, cfg.Port, err)
	}
	name := "rowplane_test_" + RandomHex(6)
	// template0 takes no connections, so a session on template1 cannot block the copy.
	if _, err := admin.Exec(ctx, `CREATE DATABASE "`+name+`" TEMPLATE template0`); err != nil {
		_ = admin.Close(ctx)
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE ends the test's own sessions still open, a listener's included.
		if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		_ = admin.Close(ctx)
	})
	pcfg, err := pgxpool.ParseConfig("")
	if err != nil {
		t.Fatal(err)
	}
	pcfg.ConnConfig = cfg.Copy()
	pcfg.ConnConfig.Database = name
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &Database{Name: name, Host: cfg.Host, Port: int(cfg.Port), User: cfg.User, Password: cfg.Password, Pool: pool}
}

// Connection reaches the database as the admin user in plain text.
func (d *Database) Connection() postgres.Connection {
	return postgres.Connection{Host: d.Host, Port: d.Port, Database: d.Name, User: d.User, Password: d.Password,
		TLS: postgres.TLS{Mode: postgres.ModeDisabled}, Timeout: 5 * time.Second}
}

// Exec runs statements in the database and fails the test on the first error.
func (d *Database) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := d.Pool.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// NewUser creates a login role without any grant, drops it when the test ends, and returns its
// name and password. Tests grant it what they need.
func (d *Database) NewUser(t testing.TB) (string, string) {
	t.Helper()
	user := "rp_" + RandomHex(5)
	pass := RandomHex(12)
	d.Exec(t, `CREATE ROLE "`+user+`" LOGIN PASSWORD '`+pass+`'`)
	t.Cleanup(func() {
		ctx := context.Background()
		// A role's grants live in the database, which is dropped after this cleanup runs.
		_, _ = d.Pool.Exec(ctx, `DROP OWNED BY "`+user+`"`)
		_, _ = d.Pool.Exec(ctx, `DROP ROLE IF EXISTS "`+user+`"`)
	})
	return user, pass
}

// RandomHex returns 2n random hex digits, for names a test owns.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
