package postgres

import "github.com/rowplane/rowplane/provider/source/ident"

// dialect quotes PostgreSQL names: see package ident for what a name may hold.
var dialect = ident.Dialect{Quote: `"`, MaxLen: 63, Qualifier: "schema"}

// ValidateIdentifier returns an error unless s is a plain table, column or channel name.
func ValidateIdentifier(s string) error { return dialect.Validate(s) }

// QuoteIdentifier validates s and quotes it for PostgreSQL.
func QuoteIdentifier(s string) (string, error) { return dialect.QuoteName(s) }

// QuoteTable quotes a table name that may be qualified once (schema.table).
func QuoteTable(s string) (string, error) { return dialect.QuoteTable(s) }
