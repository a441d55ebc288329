package mysql

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pkg/errors"
)

// identifierRE is deliberately narrower than what MySQL accepts: unquoted-identifier characters
// only, which covers every sane table and column name and leaves no room for injection even
// before quoting.
var identifierRE = regexp.MustCompile(`^[0-9A-Za-z_$]{1,64}$`)

// ValidateIdentifier returns an error unless s is a plain table or column name.
func ValidateIdentifier(s string) error {
	if !identifierRE.MatchString(s) {
		return fmt.Errorf("identifier %q must be 1-64 characters of letters, digits, _ and $", s)
	}
	return nil
}

// QuoteIdentifier validates s and wraps it in backticks, doubling any backtick inside (which
// validation already rules out; the doubling is a second line of defence).
func QuoteIdentifier(s string) (string, error) {
	if err := ValidateIdentifier(s); err != nil {
		return "", err
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`", nil
}

// QuoteTable quotes a table name that may be qualified by its database as db.table.
func QuoteTable(s string) (string, error) {
	parts := strings.Split(s, ".")
	if len(parts) > 2 {
		return "", fmt.Errorf("table %q: at most one dot (db.table) is allowed", s)
	}
	quoted := make([]string, len(parts))
	for i, p := range parts {
		q, err := QuoteIdentifier(p)
		if err != nil {
			return "", errors.Wrapf(err, "table %q", s)
		}
		quoted[i] = q
	}
	return strings.Join(quoted, "."), nil
}
