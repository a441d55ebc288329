package mysql

import (
	"context"
	"database/sql"
)

// ColumnTypes returns the COLUMN_TYPE of every column of table (db.table or a table of the
// connection's database), keyed by lower-cased column name: what the reader types values by,
// for tools that derive a schema from a table.
func ColumnTypes(ctx context.Context, db *sql.DB, table string) (map[string]string, error) {
	if _, err := QuoteTable(table); err != nil {
		return nil, err
	}
	return columnTypes(ctx, db, table)
}
