package controlplane

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"time"

	"github.com/pkg/errors"
)

// A certAuthority signs serving certificates: Crossplane's own root CA (the
// crossplane-root-ca Secret core init writes), so that Crossplane trusts what it signs.
type certAuthority struct {
	cert    *x509.Certificate
	key     any
	certPEM []byte
}

// parseCA reads a CA from PEM certificate and key.
func parseCA(certPEM, keyPEM []byte) (*certAuthority, error) {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, errors.Wrap(err, "parse Crossplane root CA")
	}
	c, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, errors.Wrap(err, "parse Crossplane root CA certificate")
	}
	return &certAuthority{cert: c, key: pair.PrivateKey, certPEM: certPEM}, nil
}

// servingCert is a signed certificate and key, PEM encoded, for localhost and 127.0.0.1. It
// is also a client certificate, as Crossplane's own are.
type servingCert struct {
	certPEM, keyPEM []byte
}

// sign issues a certificate for cn valid for localhost and 127.0.0.1.
func (ca *certAuthority) sign(cn string) (*servingCert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, errors.Wrap(err, "generate key")
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, errors.Wrap(err, "serial number")
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{"localhost", cn},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, errors.Wrapf(err, "sign certificate for %s", cn)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, errors.Wrap(err, "marshal key")
	}
	return &servingCert{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}),
	}, nil
}
