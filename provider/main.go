// Command provider-rowplane runs the Hub controller: it turns the rows of MySQL, MariaDB or
// PostgreSQL tables into Crossplane claims and composite resources.
package main

import (
	"time"

	"github.com/alecthomas/kong"
	"github.com/pkg/errors"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/internal/template"
	"github.com/rowplane/rowplane/provider/config"
	"github.com/rowplane/rowplane/provider/hubsync"
	"github.com/rowplane/rowplane/provider/metrics"
	"github.com/rowplane/rowplane/provider/source"
)

// version is set at build time.
var version = "dev"

// cli is provider-rowplane's command line. The flag names are those of the provider's
// deployments and of crossplane-runtime based providers.
type cli struct {
	Debug                   bool             `help:"Log at debug level."`
	Sync                    time.Duration    `default:"1h" help:"How often the controller cache is fully resynced. Hubs poll on their own spec.syncInterval."`
	MaxReconcileRate        int              `default:"10" help:"Maximum Hub syncs per second."`
	MaxConcurrentReconciles int              `default:"3" help:"Hubs synced in parallel."`
	LeaderElection          bool             `help:"Use leader election so only one replica syncs."`
	MetricsBindAddress      string           `default:":8081" help:"Address the Prometheus metrics are served on; 0 disables."`
	HealthProbeBindAddress  string           `default:":8082" help:"Address of the /healthz and /readyz probes; 0 disables."`
	KubeAPIQPS              int              `name:"kube-api-qps" default:"0" help:"API requests per second (burst twice that); 0 derives it from --max-reconcile-rate. Raise it for Hubs of thousands of rows."`
	Kubeconfig              string           `help:"Path to a kubeconfig; unset, the in-cluster config or $KUBECONFIG." type:"path"`
	Version                 kong.VersionFlag `help:"Print the version and exit."`
}

func main() {
	c := &cli{}
	ctx := kong.Parse(c,
		kong.Name("provider-rowplane"),
		kong.Description("Turn the rows of MySQL, MariaDB or PostgreSQL tables into Crossplane claims and composite resources."),
		kong.Vars{"version": version},
		kong.UsageOnError())
	ctx.FatalIfErrorf(c.run())
}

func (c *cli) run() error {
	zl := zap.New(zap.UseDevMode(c.Debug), zap.Level(level(c.Debug)))
	ctrl.SetLogger(zl)
	log := logging.NewLogrLogger(zl.WithName("provider-rowplane"))
	log.Info("starting", "version", version, "sync", c.Sync, "maxReconcileRate", c.MaxReconcileRate)

	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, extv1.AddToScheme, v1alpha1.AddToScheme} {
		if err := add(scheme); err != nil {
			return errors.Wrap(err, "build scheme")
		}
	}
	cfg, err := restConfig(c.Kubeconfig)
	if err != nil {
		return errors.Wrap(err, "kubeconfig")
	}
	cfg = ratelimiter.LimitRESTConfig(cfg, c.MaxReconcileRate)
	if c.KubeAPIQPS > 0 {
		cfg.QPS, cfg.Burst = float32(c.KubeAPIQPS), 2*c.KubeAPIQPS
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                 scheme,
		LeaderElection:         c.LeaderElection,
		LeaderElectionID:       "crossplane-leader-election-provider-rowplane",
		Cache:                  cache.Options{SyncPeriod: &c.Sync},
		Metrics:                metricsserver.Options{BindAddress: c.MetricsBindAddress},
		HealthProbeBindAddress: c.HealthProbeBindAddress,
		// Secrets are read when a Hub syncs, never cached: caching them would hold every
		// Secret of the cluster in memory.
		Client: client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		return errors.Wrap(err, "create manager")
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return errors.Wrap(err, "add health check")
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return errors.Wrap(err, "add ready check")
	}

	pools := source.NewPools()
	defer pools.Close()
	if err := config.Setup(mgr, log, pools); err != nil {
		return errors.Wrap(err, "set up ProviderConfig controllers")
	}
	err = hubsync.Setup(mgr, hubsync.SetupOptions{
		Logger:                  log,
		Metrics:                 metrics.New(crmetrics.Registry),
		Renderer:                template.New(template.Options{}),
		Sources:                 pools,
		MaxConcurrentReconciles: c.MaxConcurrentReconciles,
		MaxReconcileRate:        c.MaxReconcileRate,
	})
	if err != nil {
		return errors.Wrap(err, "set up Hub controller")
	}
	return mgr.Start(ctrl.SetupSignalHandler())
}

// restConfig reads the kubeconfig at path, or finds one as controller-runtime does.
func restConfig(path string) (*rest.Config, error) {
	if path == "" {
		return ctrl.GetConfig()
	}
	return clientcmd.BuildConfigFromFlags("", path)
}

func level(debug bool) zapcore.Level {
	if debug {
		return zapcore.DebugLevel
	}
	return zapcore.InfoLevel
}
