package mysql_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	driver "github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/provider/source/mysql"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

// TestTLSModes reads from a private MariaDB that requires TLS, in every mode.
func TestTLSModes(t *testing.T) {
	t.Parallel()
	s := mysqltest.StartTLSServer(t)
	cases := map[string]struct {
		reason string
		tls    mysql.TLS
		// wantErr says which kind of failure is expected, by type or server error number,
		// never by a library's wording.
		wantErr func(error) bool
	}{
		"VerifyFull":         {reason: "verify-full accepts a certificate for 127.0.0.1 signed by the CA", tls: mysql.TLS{Mode: mysql.ModeVerifyFull, CAPEM: s.CAPEM}},
		"VerifyFullWrongCA":  {reason: "verify-full refuses a server its CA did not sign", tls: mysql.TLS{Mode: mysql.ModeVerifyFull, CAPEM: s.OtherCAPEM}, wantErr: untrusted},
		"VerifyFullWrongSNI": {reason: "verify-full refuses a certificate for another name", tls: mysql.TLS{Mode: mysql.ModeVerifyFull, CAPEM: s.CAPEM, ServerName: "db.example.com"}, wantErr: untrusted},
		"VerifyCA":           {reason: "verify-ca checks the chain but not the name", tls: mysql.TLS{Mode: mysql.ModeVerifyCA, CAPEM: s.CAPEM, ServerName: "db.example.com"}},
		"VerifyCAWrongCA":    {reason: "verify-ca refuses a server its CA did not sign", tls: mysql.TLS{Mode: mysql.ModeVerifyCA, CAPEM: s.OtherCAPEM}, wantErr: untrusted},
		"Required":           {reason: "required encrypts without verifying", tls: mysql.TLS{Mode: mysql.ModeRequired}},
		"Preferred":          {reason: "preferred encrypts when offered", tls: mysql.TLS{Mode: mysql.ModePreferred}},
		"Disabled":           {reason: "a user that REQUIREs SSL is refused in plain text", tls: mysql.TLS{Mode: mysql.ModeDisabled}, wantErr: accessDenied},
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
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("%s\nwant a refused connection of the expected kind, got %v", tc.reason, err)
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

// untrusted reports whether err is a certificate the client did not trust: an unknown
// authority or a certificate for another name.
func untrusted(err error) bool {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ve *tls.CertificateVerificationError
	return errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ve)
}

// accessDenied reports whether the server refused the login (MySQL error 1045).
func accessDenied(err error) bool {
	var me *driver.MySQLError
	return errors.As(err, &me) && me.Number == 1045
}
