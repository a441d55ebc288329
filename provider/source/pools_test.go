package source_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/provider/source"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
	"github.com/rowplane/rowplane/provider/source/tlsmode"
)

// sessions counts the server's sessions of the code under test.
type sessions func(t *testing.T) int

// engines gives each engine a table with one row, a Connection to it as a user of its own and
// a count of that user's sessions, read from the server.
func engines(t *testing.T) map[string]func(t *testing.T) (source.Connection, sessions) {
	t.Helper()
	return map[string]func(t *testing.T) (source.Connection, sessions){
		source.EngineMySQL: func(t *testing.T) (source.Connection, sessions) {
			db := mysqltest.New(t)
			db.Exec(t, "CREATE TABLE nodes (node_id VARCHAR(63) PRIMARY KEY)", "INSERT INTO nodes VALUES ('a')")
			user, pass := db.NewUser(t)
			c := source.Connection{Engine: source.EngineMySQL, Host: db.Host, Port: db.Port, Database: db.Name, User: user, Password: pass,
				TLS: tlsmode.TLS{Mode: tlsmode.Disabled}, Timeout: 5 * time.Second}
			return c, func(t *testing.T) int {
				var n int
				if err := db.DB.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?", user).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
		},
		source.EnginePostgres: func(t *testing.T) (source.Connection, sessions) {
			db := pgtest.New(t)
			db.Exec(t, "CREATE TABLE nodes (node_id text PRIMARY KEY)", "INSERT INTO nodes VALUES ('a')")
			user, pass := db.NewUser(t)
			db.Exec(t, `GRANT SELECT ON nodes TO "`+user+`"`)
			c := source.Connection{Engine: source.EnginePostgres, Host: db.Host, Port: db.Port, Database: db.Name, User: user, Password: pass,
				TLS: tlsmode.TLS{Mode: tlsmode.Disabled}, Timeout: 5 * time.Second}
			return c, func(t *testing.T) int {
				var n int
				if err := db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE usename = $1", user).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
		},
	}
}

// TestForgetClosesConnections proves that forgetting an owner (its ProviderConfig was deleted)
// closes the connections its reads opened, on the server, for both engines.
func TestForgetClosesConnections(t *testing.T) {
	t.Parallel()
	for engine, setup := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			conn, count := setup(t)
			pools := source.NewPools()
			t.Cleanup(pools.Close)
			owner := source.Owner("ProviderConfig", "team-a", "default")
			src, err := pools.Open(owner, conn)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := src.Read(context.Background(), source.Query{Table: "nodes", Columns: []string{"node_id"}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]source.Row{{"node_id": "a"}}, rows); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
			if n := count(t); n == 0 {
				t.Fatalf("after a read the pool should hold an idle session of the user; the server shows none")
			}
			pools.Forget(owner)
			waitFor(t, "the server to see the forgotten pool's sessions end", func() bool { return count(t) == 0 })
		})
	}
}

// TestOpenOtherEngineClosesOld proves that a ProviderConfig switched to another engine does
// not leave its old engine's connections open.
func TestOpenOtherEngineClosesOld(t *testing.T) {
	t.Parallel()
	all := engines(t)
	my, myCount := all[source.EngineMySQL](t)
	pg, _ := all[source.EnginePostgres](t)
	pools := source.NewPools()
	t.Cleanup(pools.Close)
	owner := source.Owner("ClusterProviderConfig", "", "shared")
	src, err := pools.Open(owner, my)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Read(context.Background(), source.Query{Table: "nodes", Columns: []string{"node_id"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := pools.Open(owner, pg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the MySQL sessions of a config now on PostgreSQL to end", func() bool { return myCount(t) == 0 })
}

// TestOpenRefusesUnknownEngine proves an engine no source implements is an error naming it,
// never read as MySQL.
func TestOpenRefusesUnknownEngine(t *testing.T) {
	t.Parallel()
	_, err := source.NewPools().Open("ProviderConfig/ns/x", source.Connection{Engine: "oracle"})
	if err == nil || !strings.Contains(err.Error(), `engine "oracle"`) {
		t.Errorf(`Open with engine oracle: want an error naming engine "oracle", got %v`, err)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
