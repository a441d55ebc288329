package main

import (
	"math/rand/v2"
	"time"

	"github.com/crossplane/function-sdk-go"
	"github.com/pkg/errors"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rowplane/rowplane/fn/compose"
	"github.com/rowplane/rowplane/fn/metrics"
	"github.com/rowplane/rowplane/fn/render"
	"github.com/rowplane/rowplane/internal/template"
)

// ServeCmd serves the function.
type ServeCmd struct {
	Debug          bool   `short:"d" help:"Emit debug logs in addition to info logs."`
	Network        string `default:"tcp" help:"Network on which to listen for gRPC connections."`
	Address        string `default:":9443" help:"Address at which to listen for gRPC connections."`
	TLSCertsDir    string `name:"tls-server-certs-dir" env:"TLS_SERVER_CERTS_DIR" help:"Directory containing server certs (tls.key, tls.crt) and the CA used to verify client certificates (ca.crt)."`
	Insecure       bool   `help:"Run without mTLS credentials. Only for local development with crossplane render."`
	MetricsAddress string `default:":8080" env:"METRICS_ADDRESS" help:"Address of the Prometheus metrics server."`
	FixedTime      string `help:"Render 'now' as this RFC 3339 time and draw random values from a fixed seed, for reproducible renders (golden tests). Never use in production."`
}

// Run serves the function until it is stopped.
func (c *ServeCmd) Run() error {
	log, err := function.NewLogger(c.Debug)
	if err != nil {
		return errors.Wrap(err, "cannot create logger")
	}
	opts, err := engineOptions(c.FixedTime)
	if err != nil {
		return err
	}
	fn := compose.New(log, render.New(template.New(opts)), opts.Now).WithMetrics(metrics.New(prometheus.DefaultRegisterer))
	log.Info("serving function-rowplane", "version", version, "address", c.Address, "insecure", c.Insecure)
	return function.Serve(fn,
		function.Listen(c.Network, c.Address),
		function.MTLSCertificates(c.TLSCertsDir),
		function.Insecure(c.Insecure),
		function.WithMetricsServer(c.MetricsAddress))
}

// engineOptions pins the clock and the random source when fixedTime is set.
func engineOptions(fixedTime string) (template.Options, error) {
	if fixedTime == "" {
		return template.Options{Now: time.Now}, nil
	}
	t, err := time.Parse(time.RFC3339, fixedTime)
	if err != nil {
		return template.Options{}, errors.Wrap(err, "--fixed-time must be an RFC 3339 time")
	}
	return template.Options{
		Now:    func() time.Time { return t },
		Random: rand.NewChaCha8([32]byte{'r', 'o', 'w', 'p', 'l', 'a', 'n', 'e'}),
	}, nil
}
