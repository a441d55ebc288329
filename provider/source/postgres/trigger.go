package postgres

import (
	"fmt"
	"strings"

	"github.com/pkg/errors"
)

// triggerPrefix starts the name of every trigger TriggerSQL creates.
const triggerPrefix = "rowplane_notify_"

// TriggerSQL returns the SQL a user runs once to make every change to table NOTIFY channel
// with the table as payload: a function rowplane_notify (in the table's schema, shared by
// every table) and a statement-level trigger after INSERT, UPDATE, DELETE and TRUNCATE. A
// statement fires it once however many rows it touches, and PostgreSQL folds identical
// notifications of one transaction into one. It needs PostgreSQL 14 or later (CREATE OR REPLACE
// TRIGGER) and may be run again safely.
//
// For example, TriggerSQL("nodes", "rowplane") gives
//
//	CREATE OR REPLACE FUNCTION rowplane_notify() RETURNS trigger LANGUAGE plpgsql AS $$
//	BEGIN PERFORM pg_notify(TG_ARGV[0], TG_ARGV[1]); RETURN NULL; END $$;
//	CREATE OR REPLACE TRIGGER "rowplane_notify_rowplane" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
//	ON "nodes" FOR EACH STATEMENT EXECUTE FUNCTION rowplane_notify('rowplane', 'nodes');
func TriggerSQL(table, channel string) (string, error) {
	quoted, err := QuoteTable(table)
	if err != nil {
		return "", err
	}
	if err := ValidateIdentifier(channel); err != nil {
		return "", errors.Wrap(err, "channel")
	}
	trigger, err := QuoteIdentifier(triggerPrefix + channel)
	if err != nil {
		return "", errors.Wrapf(err, "channel %q: the trigger name %s%s is too long", channel, triggerPrefix, channel)
	}
	fn := "rowplane_notify"
	if i := strings.IndexByte(quoted, '.'); i >= 0 {
		fn = quoted[:i] + "." + fn
	}
	// Validated names hold no quote, so they are safe as string literals too.
	return fmt.Sprintf(`CREATE OR REPLACE FUNCTION %[1]s() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify(TG_ARGV[0], TG_ARGV[1]); RETURN NULL; END $$;
CREATE OR REPLACE TRIGGER %[2]s AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON %[3]s FOR EACH STATEMENT EXECUTE FUNCTION %[1]s('%[4]s', '%[5]s');
`, fn, trigger, quoted, channel, table), nil
}
