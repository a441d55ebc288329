package tlsmode_test

import (
	"crypto/tls"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/provider/source/tlsmode"
	"github.com/rowplane/rowplane/provider/source/tlsmode/tlsmodetest"
)

// TestConfigHandshake runs each mode's client configuration against an in-memory TLS server
// with a certificate for 127.0.0.1 signed by the test CA.
func TestConfigHandshake(t *testing.T) {
	t.Parallel()
	ca := tlsmodetest.NewCA(t, "rowplane test CA")
	other := tlsmodetest.NewCA(t, "unrelated CA")
	certPEM, keyPEM := ca.ServerCert(t)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason       string
		tls          tlsmode.TLS
		wantFallback bool
		wantErr      func(error) bool
	}{
		"VerifyFull":         {reason: "the CA signed a certificate for the host", tls: tlsmode.TLS{Mode: tlsmode.VerifyFull, CAPEM: ca.PEM()}},
		"VerifyFullWrongCA":  {reason: "another CA signed the certificate", tls: tlsmode.TLS{Mode: tlsmode.VerifyFull, CAPEM: other.PEM()}, wantErr: tlsmodetest.UnknownAuthority},
		"VerifyFullWrongSNI": {reason: "the certificate is for another name", tls: tlsmode.TLS{Mode: tlsmode.VerifyFull, CAPEM: ca.PEM(), ServerName: "db.example.com"}, wantErr: tlsmodetest.WrongHost},
		"VerifyCA":           {reason: "verify-ca ignores the name", tls: tlsmode.TLS{Mode: tlsmode.VerifyCA, CAPEM: ca.PEM(), ServerName: "db.example.com"}},
		"VerifyCAWrongCA":    {reason: "verify-ca checks the chain", tls: tlsmode.TLS{Mode: tlsmode.VerifyCA, CAPEM: other.PEM()}, wantErr: tlsmodetest.UnknownAuthority},
		"Required":           {reason: "required encrypts without verifying", tls: tlsmode.TLS{Mode: tlsmode.Required, CAPEM: other.PEM()}},
		"Preferred":          {reason: "preferred (the default) falls back to plain text", tls: tlsmode.TLS{}, wantFallback: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, fallback, err := tc.tls.Config("127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantFallback, fallback); diff != "" {
				t.Errorf("%s\nfallback: -want +got:\n%s", tc.reason, diff)
			}
			err = handshake(cfg, cert)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("%s\nhandshake: %v", tc.reason, err)
			case tc.wantErr != nil && (err == nil || !tc.wantErr(err)):
				t.Errorf("%s\nwant a refused certificate of the expected kind, got %v", tc.reason, err)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		tls    tlsmode.TLS
		want   string
	}{
		"UnknownMode": {reason: "a typo in the mode is not silently preferred", tls: tlsmode.TLS{Mode: "verify_full"}, want: `unknown TLS mode "verify_full"`},
		"NoCA":        {reason: "a CA bundle without PEM is refused", tls: tlsmode.TLS{Mode: tlsmode.VerifyFull, CAPEM: []byte("not pem")}, want: "CA bundle holds no PEM certificate"},
		"BadKeyPair":  {reason: "a certificate without its key is refused", tls: tlsmode.TLS{Mode: tlsmode.Required, CertPEM: []byte("x")}, want: "client certificate"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, _, err := tc.tls.Config("db")
			if err == nil || cfg != nil {
				t.Fatalf("%s\nwant an error and no config, got %v, %v", tc.reason, cfg, err)
			}
			if got := err.Error(); len(got) < len(tc.want) || got[:len(tc.want)] != tc.want {
				t.Errorf("%s\nerror %q, want it to start with %q", tc.reason, got, tc.want)
			}
		})
	}
	if cfg, _, err := (tlsmode.TLS{Mode: tlsmode.Disabled}).Config("db"); cfg != nil || err != nil {
		t.Errorf("disabled: want no TLS config and no error, got %v, %v", cfg, err)
	}
}

// handshake runs a TLS handshake between a client with cfg and a server with cert over a
// loopback socket, whose buffers (unlike net.Pipe's) let either side give up mid-handshake.
func handshake(cfg *tls.Config, cert tls.Certificate) error {
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		return err
	}
	defer l.Close() //nolint:errcheck // test listener.
	go func() {
		if s, err := l.Accept(); err == nil {
			_ = s.(*tls.Conn).Handshake()
			_ = s.Close()
		}
	}()
	c, err := tls.Dial("tcp", l.Addr().String(), cfg)
	if err != nil {
		return err
	}
	return c.Close()
}
