package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/internal/devstack/embeddeddb"
	"github.com/rowplane/rowplane/internal/devstack/stack"
)

// embeddedDatabase is the database the embedded server serves, as in the example's ProviderConfig.
const embeddedDatabase = "nodes_db"

// A nodesTable is the example's nodes table the demo writes rows into and the Hub reads.
type nodesTable struct {
	// conn is how the provider reaches it (the ProviderConfig and its Secret).
	conn stack.Database
	// about says on screen what it is.
	about string
	// postgres is a PG_DSN table: the Hub comes from the example's hub-postgres folder.
	postgres bool
	db       *sql.DB
	close    func()
}

// openEmbedded starts the in-process go-mysql-server and creates the nodes table from the
// example's nodes.sql.
func openEmbedded(ctx context.Context, root string) (*nodesTable, error) {
	srv, err := embeddeddb.Start(embeddedDatabase)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("mysql", srv.DSN())
	if err != nil {
		_ = srv.Close()
		return nil, errors.Wrap(err, "open the embedded database")
	}
	t := &nodesTable{db: db, close: func() { _ = db.Close(); _ = srv.Close() },
		conn:  stack.Database{Host: srv.Host, Port: srv.Port, Name: embeddedDatabase, User: "root"},
		about: fmt.Sprintf("embedded MySQL-compatible database (go-mysql-server, in memory) on %s:%d, table %s.nodes", srv.Host, srv.Port, embeddedDatabase)}
	schema, err := stack.NodesSchema(root, "nodes")
	if err != nil {
		t.close()
		return nil, err
	}
	if err := t.exec(ctx, schema); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// openExternal uses the MySQL/MariaDB that dsn (go-sql-driver's format) names. It creates the
// nodes table only when absent, and refuses a non-empty one unless reset, which deletes its rows
// after saying so: the demo never drops a user's data silently.
func openExternal(ctx context.Context, root, dsn string, reset bool) (*nodesTable, []string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, nil, errors.Wrap(err, "MYSQL_DSN")
	}
	conn, err := providerConnection(cfg)
	if err != nil {
		return nil, nil, err
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, nil, errors.Wrap(err, "MYSQL_DSN")
	}
	db := sql.OpenDB(connector)
	t := &nodesTable{db: db, conn: conn, close: func() { _ = db.Close() },
		about: fmt.Sprintf("MySQL/MariaDB from MYSQL_DSN at %s, table %s.nodes", cfg.Addr, cfg.DBName)}
	notes, err := t.prepare(ctx, root, reset)
	if err != nil {
		t.close()
		return nil, nil, err
	}
	return t, notes, nil
}

// providerConnection turns a parsed DSN into the ProviderConfig's connection.
func providerConnection(cfg *mysql.Config) (stack.Database, error) {
	if cfg.Net != "tcp" {
		return stack.Database{}, errors.Errorf("MYSQL_DSN: the provider connects over TCP, not %q: use user:pass@tcp(host:port)/db", cfg.Net)
	}
	if cfg.DBName == "" {
		return stack.Database{}, errors.New("MYSQL_DSN: name the database: user:pass@tcp(host:port)/db")
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return stack.Database{}, errors.Wrapf(err, "MYSQL_DSN address %q", cfg.Addr)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return stack.Database{}, errors.Wrapf(err, "MYSQL_DSN port %q", port)
	}
	mode, ok := map[string]string{"": "disabled", "false": "disabled", "true": "verify-full", "skip-verify": "required", "preferred": "preferred"}[cfg.TLSConfig]
	if !ok {
		return stack.Database{}, errors.Errorf("MYSQL_DSN: tls=%s is a registered TLS config the provider cannot use: use tls=true, skip-verify or preferred", cfg.TLSConfig)
	}
	return stack.Database{Host: host, Port: p, Name: cfg.DBName, User: cfg.User, Password: cfg.Passwd, TLSMode: mode}, nil
}

// prepare creates the nodes table when absent and checks an existing one is empty (or empties
// it when reset), returning what it did for the screen.
func (t *nodesTable) prepare(ctx context.Context, root string, reset bool) ([]string, error) {
	var exists int
	err := t.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'nodes'").Scan(&exists)
	if err != nil {
		return nil, errors.Wrap(err, "look for the nodes table")
	}
	if exists == 0 {
		schema, err := stack.NodesSchema(root, "nodes")
		if err != nil {
			return nil, err
		}
		return []string{"created table nodes from " + stack.ExampleDir + "/hub/nodes.sql"}, t.exec(ctx, schema)
	}
	return t.emptyOrReset(ctx, reset, "MYSQL_DSN")
}

// emptyOrReset checks an existing nodes table is empty, or deletes its rows when reset, after
// saying so: the demo never drops a user's data silently. env names the DSN's variable.
func (t *nodesTable) emptyOrReset(ctx context.Context, reset bool, env string) ([]string, error) {
	var rows int
	if err := t.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM nodes").Scan(&rows); err != nil {
		return nil, errors.Wrap(err, "count the rows of nodes")
	}
	switch {
	case rows == 0:
		return []string{"using the existing, empty table nodes"}, nil
	case !reset:
		return nil, errors.Errorf("table %s.nodes already has %d rows; the demo would insert and update tenants there. "+
			"Set DEMO_RESET=1 to delete those rows first, or point %s at an empty database", t.conn.Name, rows, env)
	}
	return []string{fmt.Sprintf("DEMO_RESET=1: deleted the %d existing rows of nodes", rows)}, t.exec(ctx, "DELETE FROM nodes")
}

// exec runs statements, each bounded in time.
func (t *nodesTable) exec(ctx context.Context, stmts ...string) error {
	for _, q := range stmts {
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := t.db.ExecContext(qctx, q)
		cancel()
		if err != nil {
			return errors.Wrapf(err, "%s", q)
		}
	}
	return nil
}
