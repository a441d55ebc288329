// Package tlsmodetest makes certificate authorities and server certificates for tests of TLS
// connections to private database servers.
package tlsmodetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"
)

// A CA signs server certificates for one test.
type CA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// NewCA returns a self-signed CA valid for a day.
func NewCA(t testing.TB, commonName string) *CA {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: commonName},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	return &CA{cert: sign(t, tmpl, tmpl, &key.PublicKey, key), key: key}
}

// PEM returns the CA certificate, for a client's CA bundle.
func (ca *CA) PEM() []byte { return pemCert(ca.cert) }

// ServerCert returns a certificate for 127.0.0.1 and localhost signed by ca, and its key, both
// as PEM.
func (ca *CA) ServerCert(t testing.TB) (certPEM, keyPEM []byte) {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	c := sign(t, tmpl, ca.cert, &key.PublicKey, ca.key)
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemCert(c), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func sign(t testing.TB, tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, priv *ecdsa.PrivateKey) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// UnknownAuthority reports whether err holds a certificate signed by a CA the client does not
// trust, judged by type rather than by any library's wording.
func UnknownAuthority(err error) bool {
	var ua x509.UnknownAuthorityError
	var ve *tls.CertificateVerificationError
	return errors.As(err, &ua) || (errors.As(err, &ve) && errors.As(ve.Err, &ua))
}

// WrongHost reports whether err holds a certificate for another name than the one dialled.
func WrongHost(err error) bool {
	var he x509.HostnameError
	return errors.As(err, &he)
}
