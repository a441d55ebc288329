//go:build e2e

package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A tenantDB is the example's nodes table (hub/nodes.sql) in a database of the suite's own MariaDB, read by a
// user with SELECT on it only, as the example's ProviderConfig expects.
type tenantDB struct {
	s        *suite
	database string
	user     string
	password string
}

func newTenantDB(t *testing.T, s *suite) *tenantDB {
	t.Helper()
	return newTenantDBAs(t, s, "lynq_reader")
}

// newTenantDBAs is newTenantDB with another reader, for a second table on the same server.
func newTenantDBAs(t *testing.T, s *suite, user string) *tenantDB {
	t.Helper()
	d := &tenantDB{s: s, database: "nodes_" + randomHex(4), user: user, password: randomHex(12)}
	// The example's own schema, created in the suite's database.
	schema, err := os.ReadFile(filepath.Join(repoRoot(t), exampleDir, "hub", "nodes.sql"))
	if err != nil {
		t.Fatal(err)
	}
	create := strings.Replace(string(schema), "CREATE TABLE nodes", "CREATE TABLE "+d.table(), 1)
	d.exec(t,
		"CREATE DATABASE `"+d.database+"`",
		create,
		"CREATE USER '"+d.user+"'@'%' IDENTIFIED BY '"+d.password+"'",
		"GRANT SELECT ON "+d.table()+" TO '"+d.user+"'@'%'",
	)
	return d
}

// exec runs statements against the table's database and fails the test on an error.
func (d *tenantDB) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		ctx, cancel := context.WithTimeout(d.s.ctx, 10*time.Second)
		_, err := d.s.db.Admin().ExecContext(ctx, q)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// table is the qualified table name for statements.
func (d *tenantDB) table() string { return "`" + d.database + "`.nodes" }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
