// Package server serves function-rowplane over gRPC. The production command (fn, serve) and
// the development build the render goldens run (fn/internal/devserve) share it, so the two
// differ only in the template engine's clock and random source.
package server

import (
	"os"

	"github.com/crossplane/function-sdk-go"
	"github.com/pkg/errors"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rowplane/rowplane/fn/compose"
	"github.com/rowplane/rowplane/fn/metrics"
	"github.com/rowplane/rowplane/fn/render"
	"github.com/rowplane/rowplane/internal/template"
)

// Flags are the serve command's flags.
type Flags struct {
	Debug          bool   `short:"d" help:"Emit debug logs in addition to info logs."`
	Network        string `default:"tcp" help:"Network on which to listen for gRPC connections."`
	Address        string `default:":9443" help:"Address at which to listen for gRPC connections."`
	TLSCertsDir    string `name:"tls-server-certs-dir" env:"TLS_SERVER_CERTS_DIR" help:"Directory containing server certs (tls.key, tls.crt) and the CA used to verify client certificates (ca.crt)."`
	Insecure       bool   `help:"Run without mTLS credentials. Only for local development with crossplane render."`
	MetricsAddress string `default:":8080" env:"METRICS_ADDRESS" help:"Address of the Prometheus metrics server."`
	GCPercent      int    `name:"gc-percent" default:"400" env:"ROWPLANE_GC_PERCENT" help:"Garbage collection target percentage (GOGC) unless GOGC is set in the environment; negative keeps Go's default of 100."`
}

// Serve serves the function as f says, rendering with an engine built from opts, until it is
// stopped.
func Serve(f Flags, version string, opts template.Options) error {
	log, err := function.NewLogger(f.Debug)
	if err != nil {
		return errors.Wrap(err, "cannot create logger")
	}
	gogc, gogcSet := os.LookupEnv("GOGC")
	gc := setGC(f.GCPercent, gogc, gogcSet)
	fn := compose.New(log, render.New(template.New(opts)), opts.Now).WithMetrics(metrics.New(prometheus.DefaultRegisterer))
	log.Info("serving function-rowplane", "version", version, "address", f.Address, "insecure", f.Insecure, "gc-percent", gc)
	return function.Serve(fn,
		function.Listen(f.Network, f.Address),
		function.MTLSCertificates(f.TLSCertsDir),
		function.Insecure(f.Insecure),
		function.WithMetricsServer(f.MetricsAddress))
}
