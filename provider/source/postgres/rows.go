package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pkg/errors"
)

// A Query reads some columns of every row of a table.
type Query struct {
	// Table, optionally qualified as schema.table. Names are quoted, so they match exactly
	// (PostgreSQL folds unquoted names to lower case when a table is created).
	Table string
	// Columns to select; duplicates are selected once.
	Columns []string
	// Timeout bounds the whole read, ping included. Zero means 30 seconds.
	Timeout time.Duration
}

// A Row maps column names to typed values, as mysql.Row does: nil (NULL), bool, int64 (int2,
// int4, int8), float64 (float4, float8), json.Number (numeric), string (text and everything
// else; timestamps in RFC 3339 UTC, dates as 2006-01-02) or, for json and jsonb, whatever
// encoding/json decodes.
type Row map[string]any

// Read pings the server, checks that every column exists, then reads all rows. Any error means
// the caller must not act on a partial result, so no rows are returned with it.
func Read(ctx context.Context, pool *pgxpool.Pool, q Query) ([]Row, error) {
	rows, err := read(ctx, pool, q)
	if err != nil {
		return nil, scrub(err, pool.Config().ConnConfig)
	}
	return rows, nil
}

func read(ctx context.Context, pool *pgxpool.Pool, q Query) ([]Row, error) {
	ctx, cancel := context.WithTimeout(ctx, timeoutOr30s(q.Timeout))
	defer cancel()
	cols := unique(q.Columns)
	table, quoted, err := quoteQuery(q.Table, cols)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		return nil, errors.Wrap(err, "ping")
	}
	types, err := columnTypes(ctx, pool, q.Table, table)
	if err != nil {
		return nil, err
	}
	kinds := make([]kind, len(cols))
	exprs := make([]string, len(cols))
	for i, c := range cols {
		t, ok := types[c]
		if !ok {
			return nil, missingColumn(q.Table, c, types)
		}
		kinds[i] = kindOf(t)
		exprs[i] = kinds[i].selectExpr(quoted[i])
	}
	rows, err := pool.Query(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+table)
	if err != nil {
		return nil, errors.Wrapf(err, "select from %q", q.Table)
	}
	defer rows.Close()
	return scanAll(rows, cols, kinds)
}

func timeoutOr30s(d time.Duration) time.Duration {
	if d <= 0 {
		return 30 * time.Second
	}
	return d
}

// quoteQuery validates and quotes the table and every column.
func quoteQuery(table string, cols []string) (string, []string, error) {
	qt, err := QuoteTable(table)
	if err != nil {
		return "", nil, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		if quoted[i], err = QuoteIdentifier(c); err != nil {
			return "", nil, errors.Wrap(err, "column")
		}
	}
	return qt, quoted, nil
}

func scanAll(rows pgx.Rows, cols []string, kinds []kind) ([]Row, error) {
	var out []Row
	for rows.Next() {
		raw, err := rows.Values()
		if err != nil {
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

// columnTypes returns the type name (the base type's, for a domain) of every column of table
// the user may select, keyed by column name. to_regclass resolves the name as the SELECT will,
// search_path included, and yields NULL rather than an error for a missing table.
func columnTypes(ctx context.Context, pool *pgxpool.Pool, table, quoted string) (map[string]string, error) {
	rows, err := pool.Query(ctx, `SELECT a.attname, COALESCE(b.typname, t.typname)
		FROM pg_attribute a
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
		WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
		AND has_column_privilege(a.attrelid, a.attnum, 'SELECT')`, quoted)
	if err != nil {
		return nil, errors.Wrapf(err, "read columns of %q", table)
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			return nil, errors.Wrapf(err, "read columns of %q", table)
		}
		types[c] = t
	}
	if err := rows.Err(); err != nil {
		return nil, errors.Wrapf(err, "read columns of %q", table)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("table %q does not exist or the user cannot read it", table)
	}
	return types, nil
}

// missingColumn names the column, and the column it probably meant when only the case differs:
// quoted names are case-sensitive in PostgreSQL, unlike MySQL's.
func missingColumn(table, col string, types map[string]string) error {
	for c := range types {
		if strings.EqualFold(c, col) {
			return fmt.Errorf("table %q has no column %q (names are case-sensitive: did you mean %q?)", table, col, c)
		}
	}
	return fmt.Errorf("table %q has no column %q (or the user may not read it)", table, col)
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
