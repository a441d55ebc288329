package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/rowplane/rowplane/internal/devstack/stack"
)

func TestPGConnection(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		dsn     string
		want    stack.Database
		wantErr bool
	}{
		"Plain": {
			reason: "User, password, host, port and database reach the ProviderConfig; sslmode=disable means disabled.",
			dsn:    "postgres://demo:s3cret@db.local:5433/tenants?sslmode=disable",
			want:   stack.Database{Host: "db.local", Port: 5433, Name: "tenants", User: "demo", Password: "s3cret", TLSMode: "disabled"},
		},
		"DefaultPreferred": {
			reason: "Without sslmode pgx prefers TLS, and so does the ProviderConfig; the default port applies.",
			dsn:    "postgres://demo@127.0.0.1/nodes_db",
			want:   stack.Database{Host: "127.0.0.1", Port: 5432, Name: "nodes_db", User: "demo", TLSMode: "preferred"},
		},
		"Require": {
			reason: "sslmode=require encrypts without verifying.",
			dsn:    "postgres://demo@127.0.0.1/nodes_db?sslmode=require",
			want:   stack.Database{Host: "127.0.0.1", Port: 5432, Name: "nodes_db", User: "demo", TLSMode: "required"},
		},
		"VerifyFull": {
			reason: "sslmode=verify-full asks for full verification.",
			dsn:    "postgres://demo@db.example.com/nodes_db?sslmode=verify-full",
			want:   stack.Database{Host: "db.example.com", Port: 5432, Name: "nodes_db", User: "demo", TLSMode: "verify-full"},
		},
		"Socket": {
			reason:  "The provider connects over TCP only.",
			dsn:     "host=/var/run/postgresql dbname=nodes_db user=demo",
			wantErr: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, err := pgx.ParseConfig(tc.dsn)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pgConnection(cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\npgConnection(%q): error %v, want error %t", tc.reason, tc.dsn, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\npgConnection(%q): -want, +got:\n%s", tc.reason, tc.dsn, diff)
			}
		})
	}
}
