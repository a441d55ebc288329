// Package ident validates and quotes SQL identifiers for the row sources. It accepts
// deliberately less than the databases do — unquoted-identifier characters only — which covers
// every sane table, column and channel name and leaves no room for injection even before
// quoting; quoting then keeps the name exactly as written.
package ident

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pkg/errors"
)

var identifierRE = regexp.MustCompile(`^[0-9A-Za-z_$]+$`)

// A Dialect is how one database quotes names.
type Dialect struct {
	// Quote is the quote character: a backtick for MySQL, a double quote for PostgreSQL.
	Quote string
	// MaxLen is the longest name in bytes (MySQL 64, PostgreSQL NAMEDATALEN-1 = 63).
	MaxLen int
	// Qualifier names what may qualify a table: "db" (db.table) or "schema" (schema.table).
	Qualifier string
}

// Validate returns an error unless s is a plain name.
func (d Dialect) Validate(s string) error {
	if len(s) == 0 || len(s) > d.MaxLen || !identifierRE.MatchString(s) {
		return fmt.Errorf("identifier %q must be 1-%d characters of letters, digits, _ and $", s, d.MaxLen)
	}
	return nil
}

// QuoteName validates s and quotes it, doubling any quote character inside (which validation
// already rules out; the doubling is a second line of defence).
func (d Dialect) QuoteName(s string) (string, error) {
	if err := d.Validate(s); err != nil {
		return "", err
	}
	return d.Quote + strings.ReplaceAll(s, d.Quote, d.Quote+d.Quote) + d.Quote, nil
}

// QuoteTable quotes a table name that may be qualified once (db.table or schema.table).
func (d Dialect) QuoteTable(s string) (string, error) {
	parts := strings.Split(s, ".")
	if len(parts) > 2 {
		return "", fmt.Errorf("table %q: at most one dot (%s.table) is allowed", s, d.Qualifier)
	}
	quoted := make([]string, len(parts))
	for i, p := range parts {
		q, err := d.QuoteName(p)
		if err != nil {
			return "", errors.Wrapf(err, "table %q", s)
		}
		quoted[i] = q
	}
	return strings.Join(quoted, "."), nil
}
