package mysql

import (
	"crypto/tls"

	"github.com/rowplane/rowplane/provider/source/tlsmode"
)

// TLS modes, named like the MySQL client's --ssl-mode.
const (
	ModeDisabled   = tlsmode.Disabled
	ModePreferred  = tlsmode.Preferred
	ModeRequired   = tlsmode.Required
	ModeVerifyCA   = tlsmode.VerifyCA
	ModeVerifyFull = tlsmode.VerifyFull
)

// TLS is the TLS part of a connection: a mode and PEM material.
type TLS tlsmode.TLS

// tlsConfig returns the crypto/tls configuration for host, nil when TLS is disabled, and whether
// plain text is an acceptable fallback.
func (t TLS) tlsConfig(host string) (*tls.Config, bool, error) {
	return tlsmode.TLS(t).Config(host)
}
