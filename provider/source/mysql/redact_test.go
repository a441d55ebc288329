package mysql

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		conn   Connection
		err    error
		want   string
	}{
		"Nil": {
			reason: "no error stays no error",
			conn:   Connection{User: "u"},
		},
		"Username": {
			reason: "every occurrence of the username is replaced",
			conn:   Connection{User: "s3cr3t-user", Password: "pw"},
			err:    errors.New("ping: Error 1045: Access denied for user 's3cr3t-user'@'10.0.0.1' (user s3cr3t-user)"),
			want:   "ping: Error 1045: Access denied for user '[redacted username]'@'10.0.0.1' (user [redacted username])",
		},
		"PasswordContainsUser": {
			reason: "the longer value goes first, so a password holding the username is replaced whole",
			conn:   Connection{User: "bob", Password: "bob-and-more"},
			err:    errors.New("tried bob-and-more as bob"),
			want:   "tried [redacted password] as [redacted username]",
		},
		"EmptyValues": {
			reason: "an empty password is no value to redact",
			conn:   Connection{User: "", Password: ""},
			err:    errors.New("table \"nodes\" does not exist"),
			want:   "table \"nodes\" does not exist",
		},
		"TLSMaterial": {
			reason: "PEM material from Secrets is redacted too",
			conn:   Connection{TLS: TLS{KeyPEM: []byte("KEYDATA")}},
			err:    errors.New("client certificate: bad KEYDATA"),
			want:   "client certificate: bad [redacted client key]",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := tc.conn.Redact(tc.err)
			if tc.err == nil {
				if got != nil {
					t.Errorf("%s\nRedact(nil): want nil, got %v", tc.reason, got)
				}
				return
			}
			if diff := cmp.Diff(tc.want, got.Error()); diff != "" {
				t.Errorf("%s\nRedact: -want +got:\n%s", tc.reason, diff)
			}
			if errors.Unwrap(got) != nil {
				t.Errorf("%s\nthe redacted error must not unwrap to the original", tc.reason)
			}
		})
	}
}
