package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/provider/source/tlsmode"
)

// TLS modes, named like PostgreSQL's sslmode, and meaning what they mean to package mysql.
const (
	ModeDisabled   = tlsmode.Disabled
	ModePreferred  = tlsmode.Preferred
	ModeRequired   = tlsmode.Required
	ModeVerifyCA   = tlsmode.VerifyCA
	ModeVerifyFull = tlsmode.VerifyFull
)

// TLS is the TLS part of a connection: a mode and PEM material.
type TLS = tlsmode.TLS

// A Connection is everything needed to reach one database as one user.
type Connection struct {
	Host     string
	Port     int
	Database string
	User     string
	Password string
	TLS      TLS
	// Timeout bounds dialing.
	Timeout time.Duration
}

// identity is a digest of every field, so a rotated password or changed CA opens a new pool
// without the secret material itself being kept as a map key.
func (c Connection) identity() string {
	b, _ := json.Marshal(c) //nolint:errchkjson // plain struct, cannot fail.
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// connConfig builds the pgx configuration field by field rather than from a connection string,
// so the secrets are never parsed (or echoed by a parse error). ParseConfig still seeds the
// defaults, and with them the PG* environment; every field that decides where and how to
// connect is overwritten below.
func (c Connection) connConfig() (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig("sslmode=disable")
	if err != nil {
		return nil, errors.Wrap(err, "default configuration")
	}
	tc, fallback, err := c.TLS.Config(c.Host)
	if err != nil {
		return nil, errors.Wrap(err, "TLS")
	}
	cfg.Host, cfg.Port = c.Host, uint16(c.Port) //nolint:gosec // a port fits; a bad one fails to dial.
	cfg.Database, cfg.User, cfg.Password = c.Database, c.User, c.Password
	cfg.TLSConfig = tc
	cfg.Fallbacks = nil
	if fallback {
		cfg.Fallbacks = []*pgconn.FallbackConfig{{Host: c.Host, Port: cfg.Port}}
	}
	cfg.ConnectTimeout = c.Timeout
	cfg.ValidateConnect = nil
	// Dates and the text forms of values (floats, row() in the probe) must not depend on the
	// server's or the environment's defaults.
	cfg.RuntimeParams = map[string]string{
		"application_name": "rowplane", "TimeZone": "UTC", "DateStyle": "ISO, YMD",
		"IntervalStyle": "iso_8601", "extra_float_digits": "1",
	}
	// No named prepared statements: a table whose columns change would otherwise fail once per
	// pooled connection, and transaction poolers such as PgBouncer cannot keep them.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	return cfg, nil
}

// A Pool keeps one *pgxpool.Pool per owner (e.g. one per ProviderConfig) and replaces it when
// the owner's connection identity changes. It is safe for concurrent use.
type Pool struct {
	mu    sync.Mutex
	pools map[string]pooled
}

type pooled struct {
	identity string
	pool     *pgxpool.Pool
}

// NewPool returns an empty Pool.
func NewPool() *Pool { return &Pool{pools: map[string]pooled{}} }

// DB returns the pool of owner for c, opening one (without dialing) when there is none or when
// c differs from what the owner used before.
func (p *Pool) DB(owner string, c Connection) (*pgxpool.Pool, error) {
	id := c.identity()
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.pools[owner]; ok {
		if e.identity == id {
			return e.pool, nil
		}
		e.pool.Close()
		delete(p.pools, owner)
	}
	cc, err := c.connConfig()
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, errors.Wrap(err, "default pool configuration")
	}
	cfg.ConnConfig = cc
	// A Hub reads one table every sync interval: a handful of connections is plenty, and
	// recycling them picks up DNS and failover changes.
	cfg.MaxConns, cfg.MinConns = 4, 0
	cfg.MaxConnLifetime, cfg.MaxConnIdleTime = 5*time.Minute, time.Minute
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("configure connection: %w", scrub(err, cc))
	}
	p.pools[owner] = pooled{identity: id, pool: pool}
	return pool, nil
}

// Forget closes and drops the pool of owner, e.g. when its ProviderConfig is deleted.
func (p *Pool) Forget(owner string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.pools[owner]; ok {
		e.pool.Close()
		delete(p.pools, owner)
	}
}

// Close closes every pooled connection.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, e := range p.pools {
		e.pool.Close()
		delete(p.pools, k)
	}
}
