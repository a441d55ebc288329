package pgtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A Server is a private PostgreSQL in plain text on a loopback port of its own, with trust
// authentication for the superuser postgres (no password). Unlike the shared test server a
// test may stop it and start it again on the same port, as a database restart in production
// does. It is stopped when the test ends.
type Server struct {
	Host string
	Port int
	User string

	c       cluster
	args    []string
	logPath string
	proc    *process
	// pools are the Databases' admin pools, reset on every start: their connections died
	// with the server.
	pools []*pgxpool.Pool
}

// StartServer runs initdb and postgres in a temporary directory. Without the binaries, or as
// root without a postgres user, the test is skipped, or fails under CI=true.
func StartServer(t testing.TB) *Server {
	t.Helper()
	c := initCluster(t)
	writeOwned(t, c.cred, filepath.Join(c.data, "pg_hba.conf"), []byte("local all all trust\nhost all all 127.0.0.1/32 trust\n"))
	s := &Server{Host: "127.0.0.1", User: "postgres", c: c, logPath: filepath.Join(c.dir, "server.log"),
		args: []string{"-D", c.data, "-k", c.sock, "-c", "fsync=off", "-c", "shared_buffers=16MB", "-c", "max_connections=40"}}
	port, admin, p := startOwnPort(t, s.postgres(), s.tcpArgs(), c.cred, c.sock, s.logPath)
	_ = admin.Close(context.Background())
	s.Port, s.proc = port, p
	t.Cleanup(func() {
		if s.proc != nil {
			s.proc.stop()
		}
	})
	return s
}

func (s *Server) postgres() string { return filepath.Join(s.c.bin, "postgres") }

func (s *Server) tcpArgs() []string {
	return append(append([]string{}, s.args...), "-c", "listen_addresses=127.0.0.1")
}

// Stop shuts the server down fast, ending every session, as a crash or failover does for its
// clients.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if s.proc == nil {
		t.Fatal("the server is already stopped")
	}
	s.proc.stop()
	s.proc = nil
}

// Start starts the stopped server again on its port. Should another process have taken the
// port meanwhile, the test fails rather than talk to a server it does not own.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	p, admin := startOn(t, s.postgres(), s.tcpArgs(), s.c.cred, s.c.sock, s.logPath, s.Port, true)
	if p == nil {
		log, _ := os.ReadFile(s.logPath) //nolint:gosec // test log.
		t.Fatalf("postgres could not listen on its port %d again\n%s", s.Port, log)
	}
	_ = admin.Close(context.Background())
	s.proc = p
	for _, pool := range s.pools {
		pool.Reset()
	}
}

// ExecOffline starts the stopped server without TCP, so no client of the Hub (its listener
// included) can connect and hear a notification, runs stmts in database db over the socket,
// and stops the server again. It stands for changes made while a listener was disconnected.
func (s *Server) ExecOffline(t testing.TB, db string, stmts ...string) {
	t.Helper()
	p, admin := startOn(t, s.postgres(), append(append([]string{}, s.args...), "-c", "listen_addresses="),
		s.c.cred, s.c.sock, s.logPath, s.Port, false)
	if p == nil {
		log, _ := os.ReadFile(s.logPath) //nolint:gosec // test log.
		t.Fatalf("postgres did not start without TCP\n%s", log)
	}
	defer p.stop()
	_ = admin.Close(context.Background())
	conn := s.socketConn(t, db)
	defer conn.Close(context.Background()) //nolint:errcheck // test cleanup.
	for _, stmt := range stmts {
		if _, err := conn.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// NewDatabase creates a database with a unique name on the server. Its Pool reaches it over
// the socket and survives a restart; it is not dropped, since the whole server goes.
func (s *Server) NewDatabase(t testing.TB) *Database {
	t.Helper()
	admin := s.socketConn(t, "postgres")
	defer admin.Close(context.Background()) //nolint:errcheck // test cleanup.
	name := "rowplane_test_" + RandomHex(6)
	if _, err := admin.Exec(context.Background(), `CREATE DATABASE "`+name+`" TEMPLATE template0`); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	pool, err := pgxpool.New(context.Background(), s.socketDSN(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s.pools = append(s.pools, pool)
	return &Database{Name: name, Host: s.Host, Port: s.Port, User: s.User, Pool: pool}
}

func (s *Server) socketDSN(db string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", s.c.sock, s.Port, db)
}

func (s *Server) socketConn(t testing.TB, db string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.socketDSN(db))
	if err != nil {
		t.Fatalf("connect to database %s over the socket: %v", db, err)
	}
	return conn
}
