package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rowplane/rowplane/provider/source/postgres"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
	"github.com/rowplane/rowplane/provider/source/tlsmode/tlsmodetest"
)

// TestTLSModes reads from a private PostgreSQL that takes TCP connections over TLS only, in
// every mode.
func TestTLSModes(t *testing.T) {
	t.Parallel()
	s := pgtest.StartTLSServer(t)
	cases := map[string]struct {
		reason string
		tls    postgres.TLS
		// wantErr says which kind of failure is expected, by type or SQLSTATE, never by a
		// library's wording.
		wantErr func(error) bool
	}{
		"VerifyFull":         {reason: "verify-full accepts a certificate for 127.0.0.1 signed by the CA", tls: postgres.TLS{Mode: postgres.ModeVerifyFull, CAPEM: s.CAPEM}},
		"VerifyFullWrongCA":  {reason: "verify-full refuses a server its CA did not sign", tls: postgres.TLS{Mode: postgres.ModeVerifyFull, CAPEM: s.OtherCAPEM}, wantErr: tlsmodetest.UnknownAuthority},
		"VerifyFullWrongSNI": {reason: "verify-full refuses a certificate for another name", tls: postgres.TLS{Mode: postgres.ModeVerifyFull, CAPEM: s.CAPEM, ServerName: "db.example.com"}, wantErr: tlsmodetest.WrongHost},
		"VerifyCA":           {reason: "verify-ca checks the chain but not the name", tls: postgres.TLS{Mode: postgres.ModeVerifyCA, CAPEM: s.CAPEM, ServerName: "db.example.com"}},
		"VerifyCAWrongCA":    {reason: "verify-ca refuses a server its CA did not sign", tls: postgres.TLS{Mode: postgres.ModeVerifyCA, CAPEM: s.OtherCAPEM}, wantErr: tlsmodetest.UnknownAuthority},
		"Required":           {reason: "required encrypts without verifying", tls: postgres.TLS{Mode: postgres.ModeRequired}},
		"Preferred":          {reason: "preferred encrypts when offered", tls: postgres.TLS{Mode: postgres.ModePreferred}},
		"Disabled":           {reason: "a server that takes TLS only refuses plain text", tls: postgres.TLS{Mode: postgres.ModeDisabled}, wantErr: refusedLogin},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := open(t, postgres.Connection{Host: s.Host, Port: s.Port, User: s.User, Database: s.Database, TLS: tc.tls, Timeout: 5 * time.Second})
			rows, err := postgres.Read(context.Background(), db, postgres.Query{Table: "nodes", Columns: []string{"node_id", "is_active"}})
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("%s\nwant a refused connection of the expected kind, got %v", tc.reason, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\nRead: %v", tc.reason, err)
			}
			if diff := cmp.Diff([]postgres.Row{{"node_id": "acme-corp", "is_active": true}}, rows); diff != "" {
				t.Errorf("%s\nrows: -want +got:\n%s", tc.reason, diff)
			}
			var ssl bool
			if err := db.QueryRow(context.Background(), "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl); err != nil || !ssl {
				t.Errorf("%s\nthe session should be encrypted: ssl %v, err %v", tc.reason, ssl, err)
			}
		})
	}
}

// refusedLogin reports whether the server refused the connection for want of a pg_hba.conf
// line (SQLSTATE 28000, invalid_authorization_specification).
func refusedLogin(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "28000"
}
