package mysql_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/provider/source/mysql"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

// TestTLSModes reads from a private MariaDB that requires TLS, in every mode.
func TestTLSModes(t *testing.T) {
	t.Parallel()
	s := mysqltest.StartTLSServer(t)
	cases := map[string]struct {
		reason  string
		tls     mysql.TLS
		wantErr string
	}{
		"VerifyFull":         {reason: "verify-full accepts a certificate for 127.0.0.1 signed by the CA", tls: mysql.TLS{Mode: mysql.ModeVerifyFull, CAPEM: s.CAPEM}},
		"VerifyFullWrongCA":  {reason: "verify-full refuses a server its CA did not sign", tls: mysql.TLS{Mode: mysql.ModeVerifyFull, CAPEM: s.OtherCAPEM}, wantErr: "certificate"},
		"VerifyFullWrongSNI": {reason: "verify-full refuses a certificate for another name", tls: mysql.TLS{Mode: mysql.ModeVerifyFull, CAPEM: s.CAPEM, ServerName: "db.example.com"}, wantErr: "certificate"},
		"VerifyCA":           {reason: "verify-ca checks the chain but not the name", tls: mysql.TLS{Mode: mysql.ModeVerifyCA, CAPEM: s.CAPEM, ServerName: "db.example.com"}},
		"VerifyCAWrongCA":    {reason: "verify-ca refuses a server its CA did not sign", tls: mysql.TLS{Mode: mysql.ModeVerifyCA, CAPEM: s.OtherCAPEM}, wantErr: "certificate"},
		"Required":           {reason: "required encrypts without verifying", tls: mysql.TLS{Mode: mysql.ModeRequired}},
		"Preferred":          {reason: "preferred encrypts when offered", tls: mysql.TLS{Mode: mysql.ModePreferred}},
		"Disabled":           {reason: "a user that REQUIREs SSL is refused in plain text", tls: mysql.TLS{Mode: mysql.ModeDisabled}, wantErr: "Access denied"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pool := mysql.NewPool()
			t.Cleanup(pool.Close)
			db, err := pool.DB(name, mysql.Connection{Host: s.Host, Port: s.Port, User: s.User, Password: s.Password,
				Database: "nodes_db", TLS: tc.tls, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := mysql.Read(context.Background(), db, mysql.Query{Table: "nodes", Columns: []string{"node_id", "is_active"}})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("%s\nwant an error containing %q, got %v", tc.reason, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\nRead: %v", tc.reason, err)
			}
			if diff := cmp.Diff([]mysql.Row{{"node_id": "acme-corp", "is_active": true}}, rows); diff != "" {
				t.Errorf("%s\nrows: -want +got:\n%s", tc.reason, diff)
			}
			var cipher string
			if err := db.QueryRowContext(context.Background(), "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_cipher'").Scan(&cipher); err != nil || cipher == "" {
				t.Errorf("%s\nthe session should be encrypted: cipher %q, err %v", tc.reason, cipher, err)
			}
		})
	}
}
