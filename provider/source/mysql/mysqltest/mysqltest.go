// Package mysqltest gives integration tests a private database on the test MariaDB server.
//
// The server comes from ROWPLANE_TEST_MYSQL_DSN (default root with an empty password on
// 127.0.0.1:3306, which .ci/run provides). When it cannot be reached a test is skipped, except
// under CI=true where that is a failure.
package mysqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/rowplane/rowplane/internal/devstack/tool"
)

// DefaultDSN is used when ROWPLANE_TEST_MYSQL_DSN is unset.
const DefaultDSN = "root:@tcp(127.0.0.1:3306)/"

// A Database is a freshly created database that is dropped when the test ends.
type Database struct {
	// Name of the database, rowplane_test_<random>.
	Name string
	// Host, Port, User and Password reach it as the server's admin user.
	Host     string
	Port     int
	User     string
	Password string
	// DB is an admin connection with Name as its default database.
	DB *sql.DB
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
	dsn := os.Getenv("ROWPLANE_TEST_MYSQL_DSN")
	if dsn == "" {
		dsn = DefaultDSN
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("ROWPLANE_TEST_MYSQL_DSN: %v", err)
	}
	cfg.Timeout = 5 * time.Second
	cfg.ParseTime = true
	admin := open(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		Unavailable(t, "MariaDB test server at %s is not reachable: %v", cfg.Addr, err)
	}
	name := "rowplane_test_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"`"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		_ = admin.Close()
	})
	dbcfg := cfg.Clone()
	dbcfg.DBName = name
	db := open(t, dbcfg)
	t.Cleanup(func() { _ = db.Close() })

	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		t.Fatalf("DSN address %q: %v", cfg.Addr, err)
	}
	p, _ := strconv.Atoi(port)
	return &Database{Name: name, Host: host, Port: p, User: cfg.User, Password: cfg.Passwd, DB: db}
}

// Exec runs statements in the database and fails the test on the first error.
func (d *Database) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := d.DB.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// NewUser creates a user with SELECT on this database only, drops it when the test ends, and
// returns its name and password. Tests revoke or drop it to simulate a lost grant.
func (d *Database) NewUser(t testing.TB) (string, string) {
	t.Helper()
	user := "rp_" + randomHex(5)
	pass := randomHex(12)
	d.Exec(t,
		"CREATE USER '"+user+"'@'%' IDENTIFIED BY '"+pass+"'",
		"GRANT SELECT ON `"+d.Name+"`.* TO '"+user+"'@'%'",
	)
	t.Cleanup(func() {
		_, _ = d.DB.ExecContext(context.Background(), "DROP USER IF EXISTS '"+user+"'@'%'")
	})
	return user, pass
}

func open(t testing.TB, cfg *mysql.Config) *sql.DB {
	t.Helper()
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatalf("mysql connector: %v", err)
	}
	return sql.OpenDB(conn)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
