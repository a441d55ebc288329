package postgres

import (
	"errors"
	"net"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// scrubbed is an error whose text no longer names the user or holds the password, and that
// still unwraps to the original, so callers can tell a certificate or server error by type.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// scrub hides the credentials of cfg in err's text. pgx prefixes a failed connection with the
// user and database, and the server names the user in its refusal; events and conditions are
// read by people who must not learn either.
func scrub(err error, cfg *pgx.ConnConfig) error {
	if err == nil || cfg == nil {
		return err
	}
	msg := err.Error()
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		if inner := errors.Unwrap(ce); inner != nil {
			addr := net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
			msg = strings.Replace(msg, ce.Error(), "connect to "+addr+": "+inner.Error(), 1)
		}
	}
	if cfg.Password != "" {
		msg = strings.ReplaceAll(msg, cfg.Password, "<password>")
	}
	if cfg.User != "" {
		for _, form := range []string{`"%s"`, "user=%s"} {
			msg = strings.ReplaceAll(msg, strings.Replace(form, "%s", cfg.User, 1), strings.Replace(form, "%s", "<user>", 1))
		}
	}
	return &scrubbed{msg: msg, err: err}
}
