package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pkg/errors"
)

// A Query reads some columns of every row of a table.
type Query struct {
	// Table, optionally qualified as db.table.
	Table string
	// Columns to select; duplicates are selected once.
	Columns []string
	// Timeout bounds the whole read, ping included. Zero means 30 seconds.
	Timeout time.Duration
}

// A Row maps column names to typed values: nil (NULL), bool, int64, float64, json.Number
// (DECIMAL and out-of-range unsigned integers), string (text, and dates and times in RFC 3339)
// or, for JSON columns, whatever encoding/json decodes.
type Row map[string]any

// Read pings the server, checks that every column exists, then reads all rows. Any error means
// the caller must not act on a partial result, so no rows are returned with it.
func Read(ctx context.Context, db *sql.DB, q Query) ([]Row, error) {
	timeout := q.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	cols := unique(q.Columns)
	table, err := QuoteTable(q.Table)
	if err != nil {
		return nil, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		if quoted[i], err = QuoteIdentifier(c); err != nil {
			return nil, errors.Wrap(err, "column")
		}
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Wrap(err, "ping")
	}
	types, err := columnTypes(ctx, db, q.Table)
	if err != nil {
		return nil, err
	}
	kinds := make([]kind, len(cols))
	for i, c := range cols {
		t, ok := types[strings.ToLower(c)]
		if !ok {
			return nil, fmt.Errorf("table %q has no column %q (or the user may not read it)", q.Table, c)
		}
		kinds[i] = kindOf(t)
	}

	//nolint:gosec // identifiers are validated and quoted above; there are no values to bind.
	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(quoted, ", ")+" FROM "+table)
	if err != nil {
		return nil, errors.Wrapf(err, "select from %q", q.Table)
	}
	defer rows.Close() //nolint:errcheck // rows.Err below reports what matters.
	return scanAll(rows, cols, kinds)
}

func scanAll(rows *sql.Rows, cols []string, kinds []kind) ([]Row, error) {
	var out []Row
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("scan row %d: %w", len(out)+1, err)
		}
		r := make(Row, len(cols))
		for i, c := range cols {
			v, err := kinds[i].convert(raw[i])
			if err != nil {
				return nil, fmt.Errorf("row %d column %q: %w", len(out)+1, c, err)
			}
			r[c] = v
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, errors.Wrap(err, "read rows")
	}
	return out, nil
}

// columnTypes returns the COLUMN_TYPE (e.g. "tinyint(1)", "decimal(10,2)") of every column of
// table, keyed by lower-cased column name. information_schema, unlike the result set metadata,
// tells TINYINT(1) from TINYINT and works the same for views.
func columnTypes(ctx context.Context, db *sql.DB, table string) (map[string]string, error) {
	schema, name := "", table
	if i := strings.IndexByte(table, '.'); i >= 0 {
		schema, name = table[:i], table[i+1:]
	}
	rows, err := db.QueryContext(ctx,
		"SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "+
			"WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ?", schema, name)
	if err != nil {
		return nil, errors.Wrapf(err, "read columns of %q", table)
	}
	defer rows.Close() //nolint:errcheck // rows.Err below reports what matters.
	types := map[string]string{}
	for rows.Next() {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			return nil, errors.Wrapf(err, "read columns of %q", table)
		}
		types[strings.ToLower(c)] = strings.ToLower(t)
	}
	if err := rows.Err(); err != nil {
		return nil, errors.Wrapf(err, "read columns of %q", table)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("table %q does not exist or the user cannot read it", table)
	}
	return types, nil
}

func unique(cols []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cols {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
