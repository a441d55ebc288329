package source

import (
	"context"
	"fmt"
	"sync"

	"github.com/rowplane/rowplane/provider/source/mysql"
	"github.com/rowplane/rowplane/provider/source/postgres"
)

// Owner names the pools of one ProviderConfig: kind, then namespace (empty for a
// ClusterProviderConfig) and name.
func Owner(kind, namespace, name string) string {
	if namespace == "" {
		return kind + "/" + name
	}
	return kind + "/" + namespace + "/" + name
}

// Pools opens the Source of a ProviderConfig and keeps its connection pool, one per owner and
// engine, until the owner is forgotten. A changed connection (a rotated password, a new host)
// replaces the owner's pool; a changed engine closes the old engine's pool. It is safe for
// concurrent use.
type Pools struct {
	mysql    *mysql.Pool
	postgres *postgres.Pool

	mu sync.Mutex
	// engine is the engine each owner last opened.
	engine map[string]string
}

// NewPools returns Pools with no connection open.
func NewPools() *Pools {
	return &Pools{mysql: mysql.NewPool(), postgres: postgres.NewPool(), engine: map[string]string{}}
}

// Open returns the Source of owner for c. It does not dial: the first Read does.
func (p *Pools) Open(owner string, c Connection) (Source, error) {
	engine := c.Engine
	if engine == "" {
		engine = EngineMySQL
	}
	p.mu.Lock()
	prev, seen := p.engine[owner]
	p.engine[owner] = engine
	p.mu.Unlock()
	if seen && prev != engine {
		p.forget(owner, prev)
	}
	switch engine {
	case EngineMySQL:
		return mysqlSource{pool: p.mysql, owner: owner, conn: mysqlConnection(c)}, nil
	case EnginePostgres:
		pc := postgresConnection(c)
		pool, err := p.postgres.DB(owner, pc)
		if err != nil {
			return nil, err
		}
		return postgresSource{pool: pool}, nil
	default:
		return nil, fmt.Errorf("engine %q is not one of %s, %s", engine, EngineMySQL, EnginePostgres)
	}
}

// Forget closes and drops every pool of owner, e.g. when its ProviderConfig is deleted, so its
// connections do not stay open for the life of the provider.
func (p *Pools) Forget(owner string) {
	p.mu.Lock()
	engine, ok := p.engine[owner]
	delete(p.engine, owner)
	p.mu.Unlock()
	if ok {
		p.forget(owner, engine)
	}
}

func (p *Pools) forget(owner, engine string) {
	switch engine {
	case EngineMySQL:
		p.mysql.Forget(owner)
	case EnginePostgres:
		p.postgres.Forget(owner)
	}
}

// Close closes every pool.
func (p *Pools) Close() {
	p.mysql.Close()
	p.postgres.Close()
}

func mysqlConnection(c Connection) mysql.Connection {
	return mysql.Connection{Host: c.Host, Port: c.Port, Database: c.Database, User: c.User, Password: c.Password,
		TLS: mysql.TLS(c.TLS), Timeout: c.Timeout}
}

func postgresConnection(c Connection) postgres.Connection {
	return postgres.Connection{Host: c.Host, Port: c.Port, Database: c.Database, User: c.User, Password: c.Password,
		TLS: c.TLS, Timeout: c.Timeout}
}

// mysqlSource reads through the owner's pooled *sql.DB; mysql.Pool.Read redacts its errors.
type mysqlSource struct {
	pool  *mysql.Pool
	owner string
	conn  mysql.Connection
}

func (s mysqlSource) Read(ctx context.Context, q Query) ([]Row, error) {
	rows, err := s.pool.Read(ctx, s.owner, s.conn, mysql.Query(q))
	return rowsOf(rows), err
}

// rowsOf converts an engine's rows, which keep the same value contract, into Rows.
func rowsOf[R ~map[string]any](rows []R) []Row {
	if rows == nil {
		return nil
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = Row(r)
	}
	return out
}

func (s mysqlSource) Probe(ctx context.Context, q Query) (Fingerprint, error) {
	db, err := s.pool.DB(s.owner, s.conn)
	if err != nil {
		return Fingerprint{}, s.conn.Redact(err)
	}
	f, err := mysql.Probe(ctx, db, mysql.Query(q))
	return Fingerprint(f), s.conn.Redact(err)
}
