package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pkg/errors"
)

// A Fingerprint summarises the mapped columns of a table in one row: the row count and the sum
// of a CRC32 of every row. It changes when a row is inserted or deleted or a mapped value
// changes, barring a hash collision, so it is a hint to read again, never a replacement for
// reading. A sum, unlike BIT_XOR, does not cancel two identical rows.
type Fingerprint struct {
	Rows int64
	// Sum is the decimal sum of the row hashes.
	Sum string
}

// Probe returns the fingerprint of q's columns of q's table in one query.
func Probe(ctx context.Context, db *sql.DB, q Query) (Fingerprint, error) {
	ctx, cancel := context.WithTimeout(ctx, timeoutOr30s(q.Timeout))
	defer cancel()
	table, err := QuoteTable(q.Table)
	if err != nil {
		return Fingerprint{}, err
	}
	cols := unique(q.Columns)
	parts := make([]string, len(cols))
	for i, c := range cols {
		qc, err := QuoteIdentifier(c)
		if err != nil {
			return Fingerprint{}, errors.Wrap(err, "column")
		}
		// Each value is length-prefixed and NULL is a marker no prefix starts with, so NULL, ''
		// and values that contain the separator all hash differently. Binary sidesteps the
		// collations of mixed columns and tells 'a' from 'A'.
		parts[i] = fmt.Sprintf("COALESCE(CONCAT(LENGTH(CAST(%[1]s AS BINARY)), ':', CAST(%[1]s AS BINARY)), 'N')", qc)
	}
	var f Fingerprint
	//nolint:gosec // identifiers are validated and quoted above; there are no values to bind.
	err = db.QueryRowContext(ctx, "SELECT COUNT(*), CAST(COALESCE(SUM(CRC32(CONCAT("+strings.Join(parts, ", ")+"))), 0) AS CHAR) FROM "+table).
		Scan(&f.Rows, &f.Sum)
	if err != nil {
		return Fingerprint{}, errors.Wrapf(err, "probe %q", q.Table)
	}
	return f, nil
}

func timeoutOr30s(d time.Duration) time.Duration {
	if d <= 0 {
		return 30 * time.Second
	}
	return d
}
