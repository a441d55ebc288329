package main

import (
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/internal/devstack/stack"
)

func TestProviderConnection(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		dsn     string
		want    stack.Database
		wantErr bool
	}{
		"Plain": {
			reason: "User, password, host, port and database reach the ProviderConfig; no tls means disabled.",
			dsn:    "demo:s3cret@tcp(db.local:3307)/tenants",
			want:   stack.Database{Host: "db.local", Port: 3307, Name: "tenants", User: "demo", Password: "s3cret", TLSMode: "disabled"},
		},
		"DefaultPortAndTLS": {
			reason: "go-sql-driver's default port applies, and tls=true asks for full verification.",
			dsn:    "root@tcp(127.0.0.1)/nodes_db?tls=true",
			want:   stack.Database{Host: "127.0.0.1", Port: 3306, Name: "nodes_db", User: "root", TLSMode: "verify-full"},
		},
		"NoDatabase": {
			reason:  "The Hub needs a database name.",
			dsn:     "root@tcp(127.0.0.1:3306)/",
			wantErr: true,
		},
		"UnixSocket": {
			reason:  "The provider connects over TCP only.",
			dsn:     "root@unix(/run/mysqld/mysqld.sock)/nodes_db",
			wantErr: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, err := mysql.ParseDSN(tc.dsn)
			if err != nil {
				t.Fatal(err)
			}
			got, err := providerConnection(cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\nproviderConnection(%q): error %v, want error %t", tc.reason, tc.dsn, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nproviderConnection(%q): -want, +got:\n%s", tc.reason, tc.dsn, diff)
			}
		})
	}
}
