package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pkg/errors"
)

// A Fingerprint summarises the mapped columns of a table in one row: the row count and the sum
// of a 64-bit hash of every row. It changes when a row is inserted or deleted or a mapped value
// changes, barring a hash collision, so it is a hint to read again, never a replacement for
// reading. A sum, unlike an XOR, does not cancel two identical rows.
type Fingerprint struct {
	Rows int64
	// Sum is the decimal sum of the row hashes.
	Sum string
}

// Probe returns the fingerprint of q's columns of q's table in one query (hashtextextended needs
// PostgreSQL 11 or later). Each row is hashed from its row() text form, which spells
// NULL and the empty string differently and is fixed by the session settings the pool sets.
func Probe(ctx context.Context, pool *pgxpool.Pool, q Query) (Fingerprint, error) {
	ctx, cancel := context.WithTimeout(ctx, timeoutOr30s(q.Timeout))
	defer cancel()
	table, quoted, err := quoteQuery(q.Table, unique(q.Columns))
	if err != nil {
		return Fingerprint{}, err
	}
	var f Fingerprint
	err = pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*), COALESCE(sum(hashtextextended(row(%s)::text, 0)), 0)::text FROM %s",
		strings.Join(quoted, ", "), table)).Scan(&f.Rows, &f.Sum)
	if err != nil {
		return Fingerprint{}, scrub(errors.Wrapf(err, "probe %q", q.Table), pool.Config().ConnConfig)
	}
	return f, nil
}
