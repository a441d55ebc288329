package mysql

import (
	"context"
	"sort"
	"strings"
)

// secrets are the values of c that come from Secrets, by the name their placeholder gives.
func (c Connection) secrets() map[string]string {
	return map[string]string{
		"username": c.User, "password": c.Password,
		"ca": string(c.TLS.CAPEM), "client certificate": string(c.TLS.CertPEM), "client key": string(c.TLS.KeyPEM),
	}
}

// Redact returns err with every occurrence of each secret value of c (username, password, TLS
// material) replaced by a placeholder such as [redacted username]. The server and the driver
// quote the username in their messages ("Access denied for user ..."), and these messages end up
// in a Hub's status and events, which more people may read than the Secret. The result does not
// unwrap to err, so nothing can reach the original text.
func (c Connection) Redact(err error) error {
	if err == nil {
		return nil
	}
	s := redact(err.Error(), c.secrets())
	return redacted(s)
}

// redact replaces the longest values first, so a password that contains the username is
// replaced whole.
func redact(s string, secrets map[string]string) string {
	names := make([]string, 0, len(secrets))
	for n, v := range secrets {
		if v != "" {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if len(secrets[names[i]]) != len(secrets[names[j]]) {
			return len(secrets[names[i]]) > len(secrets[names[j]])
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		s = strings.ReplaceAll(s, secrets[n], "[redacted "+n+"]")
	}
	return s
}

type redacted string

func (r redacted) Error() string { return string(r) }

// Read reads q through owner's pooled connection for c (see Pool.DB and Read). Every error it
// returns is redacted (see Connection.Redact), so callers may put it in status, events and logs.
func (p *Pool) Read(ctx context.Context, owner string, c Connection, q Query) ([]Row, error) {
	db, err := p.DB(owner, c)
	if err != nil {
		return nil, c.Redact(err)
	}
	rows, err := Read(ctx, db, q)
	return rows, c.Redact(err)
}
