// Package source is how the Hub reads rows: a Source reads the mapped columns of a table, and
// Pools opens the Source of a ProviderConfig for its engine (MySQL/MariaDB or PostgreSQL),
// keeping one connection pool per ProviderConfig until it is forgotten.
package source

import (
	"context"
	"time"

	"github.com/rowplane/rowplane/provider/source/tlsmode"
)

// Engines a ProviderConfig can name.
const (
	EngineMySQL    = "mysql"
	EnginePostgres = "postgres"
)

// A Query reads some columns of every row of a table.
type Query struct {
	// Table, optionally qualified as db.table (MySQL) or schema.table (PostgreSQL).
	Table string
	// Columns to select; duplicates are selected once.
	Columns []string
	// Timeout bounds the whole read. Zero means 30 seconds.
	Timeout time.Duration
}

// A Row maps column names to typed values: nil (NULL), bool, int64, float64, json.Number,
// string or, for JSON columns, whatever encoding/json decodes. Every engine keeps this
// contract, so a Hub maps the same table the same way on either.
type Row map[string]any

// A Source reads rows. Read returns every row or an error, never a partial result: the Hub
// deletes the objects of rows that are missing, so a short read must not look like a result.
// Its errors never hold the credentials, so they may go to status, events and logs.
type Source interface {
	Read(ctx context.Context, q Query) ([]Row, error)
}

// A Fingerprint summarises a table's mapped columns; it changes when a mapped value, or the set
// of rows, changes.
type Fingerprint struct {
	Rows int64
	Sum  string
}

// A Prober is a Source that can fingerprint a table cheaply, to hint when to read it again.
type Prober interface {
	Probe(ctx context.Context, q Query) (Fingerprint, error)
}

// A Connection is everything needed to reach one database as one user.
type Connection struct {
	// Engine is EngineMySQL (also when empty) or EnginePostgres.
	Engine   string
	Host     string
	Port     int
	Database string
	User     string
	Password string
	TLS      tlsmode.TLS
	// Timeout bounds dialing and every query.
	Timeout time.Duration
}
