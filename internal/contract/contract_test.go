package contract

import "testing"

func TestHost(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		in     string
		want   string
	}{
		"URL":        {"scheme, port, path and query go", "https://acme.example.com:8443/app?x=1", "acme.example.com"},
		"HostPort":   {"a bare host:port loses its port", "acme.example.com:80", "acme.example.com"},
		"BareHost":   {"a bare host stays as it is", "acme.example.com", "acme.example.com"},
		"UserInfo":   {"user info goes", "https://me:pw@acme.example.com/", "acme.example.com"},
		"Blanks":     {"surrounding blanks are trimmed", "  acme.example.com  ", "acme.example.com"},
		"Empty":      {"nothing yields nothing", "", ""},
		"Unparsable": {"a value that is no URL yields nothing rather than garbage", "http://[::1", ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Host(tc.in); got != tc.want {
				t.Errorf("%s\nHost(%q) = %q, want %q", tc.reason, tc.in, got, tc.want)
			}
		})
	}
}
