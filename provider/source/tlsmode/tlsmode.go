// Package tlsmode turns a TLS mode named like the MySQL and PostgreSQL clients' (disabled,
// preferred, required, verify-ca, verify-full) and PEM material into a crypto/tls configuration,
// so every row source means the same thing by the same mode.
package tlsmode

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"

	"github.com/pkg/errors"
)

// TLS modes, named like the MySQL client's --ssl-mode and PostgreSQL's sslmode.
const (
	Disabled   = "disabled"
	Preferred  = "preferred"
	Required   = "required"
	VerifyCA   = "verify-ca"
	VerifyFull = "verify-full"
)

// TLS is the TLS part of a connection: a mode and PEM material.
type TLS struct {
	Mode       string
	CAPEM      []byte
	CertPEM    []byte
	KeyPEM     []byte
	ServerName string
}

// Config returns the crypto/tls configuration for host, nil when TLS is disabled, and whether
// plain text is an acceptable fallback. An empty mode means preferred.
func (t TLS) Config(host string) (*tls.Config, bool, error) {
	mode := t.Mode
	if mode == "" {
		mode = Preferred
	}
	if mode == Disabled {
		return nil, false, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12} //nolint:gosec // verification is set per mode below.
	if len(t.CertPEM) > 0 || len(t.KeyPEM) > 0 {
		cert, err := tls.X509KeyPair(t.CertPEM, t.KeyPEM)
		if err != nil {
			return nil, false, errors.Wrap(err, "client certificate")
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	var roots *x509.CertPool
	if len(t.CAPEM) > 0 {
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(t.CAPEM) {
			return nil, false, errors.New("CA bundle holds no PEM certificate")
		}
	}
	switch mode {
	case Preferred, Required:
		// Encrypted, unverified: what these modes mean to every MySQL client.
		cfg.InsecureSkipVerify = true //nolint:gosec // documented semantics of the mode.
		return cfg, mode == Preferred, nil
	case VerifyCA:
		// Verify the chain but not the name: crypto/tls cannot do that alone, so skip its
		// check and verify the chain ourselves.
		cfg.InsecureSkipVerify = true //nolint:gosec // replaced by verifyChain.
		cfg.VerifyPeerCertificate = verifyChain(roots)
		return cfg, false, nil
	case VerifyFull:
		cfg.RootCAs = roots
		cfg.ServerName = host
		if t.ServerName != "" {
			cfg.ServerName = t.ServerName
		}
		return cfg, false, nil
	default:
		return nil, false, fmt.Errorf("unknown TLS mode %q", mode)
	}
}

func verifyChain(roots *x509.CertPool) func([][]byte, [][]*x509.Certificate) error {
	return func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return errors.New("server sent no certificate")
		}
		certs := make([]*x509.Certificate, len(raw))
		for i, r := range raw {
			c, err := x509.ParseCertificate(r)
			if err != nil {
				return errors.Wrap(err, "parse server certificate")
			}
			certs[i] = c
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
		return err
	}
}
