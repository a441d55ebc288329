package mysql

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/pkg/errors"
)

// A Connection is everything needed to reach one database as one user.
type Connection struct {
	Host     string
	Port     int
	Database string
	User     string
	Password string
	TLS      TLS
	// Timeout bounds dialing and every query.
	Timeout time.Duration
}

// identity is a digest of every field, so a rotated password or changed CA opens a new pool
// without the secret material itself being kept as a map key.
func (c Connection) identity() string {
	b, _ := json.Marshal(c) //nolint:errchkjson // plain struct, cannot fail.
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (c Connection) config() (*mysql.Config, error) {
	cfg := mysql.NewConfig()
	cfg.User = c.User
	cfg.Passwd = c.Password
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	cfg.DBName = c.Database
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	// DATETIME carries no zone and is read as UTC (Loc above); the server converts TIMESTAMP to
	// the session's zone, so the session is put in UTC too, or a server in another zone would
	// shift every TIMESTAMP (and with it a Hub's expiresAt) by its offset.
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	cfg.Timeout = c.Timeout
	cfg.ReadTimeout = c.Timeout
	cfg.WriteTimeout = c.Timeout
	// The driver logs recovered faults (a stale pooled connection) on its own; the errors that
	// matter come back from Read, so its chatter is dropped rather than written to stderr.
	cfg.Logger = quiet{}
	tc, fallback, err := c.TLS.tlsConfig(c.Host)
	if err != nil {
		return nil, errors.Wrap(err, "TLS")
	}
	cfg.TLS = tc
	cfg.AllowFallbackToPlaintext = fallback
	return cfg, nil
}

// A Pool keeps one *sql.DB per owner (e.g. one per ProviderConfig) and replaces it when the
// owner's connection identity changes. It is safe for concurrent use.
type Pool struct {
	mu  sync.Mutex
	dbs map[string]pooled
}

type pooled struct {
	identity string
	db       *sql.DB
}

// NewPool returns an empty Pool.
func NewPool() *Pool { return &Pool{dbs: map[string]pooled{}} }

// DB returns the pooled *sql.DB of owner for c, opening one (without dialing) when there is none
// or when c differs from what the owner used before.
func (p *Pool) DB(owner string, c Connection) (*sql.DB, error) {
	id := c.identity()
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.dbs[owner]; ok {
		if e.identity == id {
			return e.db, nil
		}
		_ = e.db.Close()
		delete(p.dbs, owner)
	}
	cfg, err := c.config()
	if err != nil {
		return nil, err
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, errors.Wrap(err, "configure connection")
	}
	db := sql.OpenDB(conn)
	// A Hub reads one table every sync interval: a handful of connections is plenty, and
	// recycling them picks up DNS and failover changes.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(2)
	db.SetConnMaxLifetime(5 * time.Minute)
	db.SetConnMaxIdleTime(time.Minute)
	p.dbs[owner] = pooled{identity: id, db: db}
	return db, nil
}

// Forget closes and drops the pool of owner, e.g. when its ProviderConfig is deleted.
func (p *Pool) Forget(owner string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.dbs[owner]; ok {
		_ = e.db.Close()
		delete(p.dbs, owner)
	}
}

// Close closes every pooled connection.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, e := range p.dbs {
		_ = e.db.Close()
		delete(p.dbs, k)
	}
}

type quiet struct{}

func (quiet) Print(...any) {}
