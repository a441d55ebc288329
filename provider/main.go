// Command provider-rowplane runs the Hub controller: it turns the rows of MySQL, MariaDB or
// PostgreSQL tables into Crossplane claims and composite resources.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
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
	"github.com/rowplane/rowplane/fn/template"
	"github.com/rowplane/rowplane/provider/config"
	"github.com/rowplane/rowplane/provider/hubsync"
	"github.com/rowplane/rowplane/provider/metrics"
	"github.com/rowplane/rowplane/provider/source"
)

// version is set at build time.
var version = "dev"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "provider-rowplane:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		debug          = flag.Bool("debug", false, "Log at debug level.")
		syncPeriod     = flag.Duration("sync", time.Hour, "How often the controller cache is fully resynced. Hubs poll on their own spec.syncInterval.")
		maxRate        = flag.Int("max-reconcile-rate", 10, "Maximum Hub syncs per second.")
		maxConcurrent  = flag.Int("max-concurrent-reconciles", 3, "Hubs synced in parallel.")
		leaderElection = flag.Bool("leader-election", false, "Use leader election so only one replica syncs.")
		metricsAddr    = flag.String("metrics-bind-address", ":8081", "Address the Prometheus metrics are served on; 0 disables.")
		healthAddr     = flag.String("health-probe-bind-address", ":8082", "Address of the /healthz and /readyz probes; 0 disables.")
		apiQPS         = flag.Int("kube-api-qps", 0, "API requests per second (burst twice that); 0 derives it from --max-reconcile-rate. Raise it for Hubs of thousands of rows.")
		printVersion   = flag.Bool("version", false, "Print the version and exit.")
	)
	flag.Parse()
	if *printVersion {
		fmt.Println(version)
		return nil
	}

	zl := zap.New(zap.UseDevMode(*debug), zap.Level(level(*debug)))
	ctrl.SetLogger(zl)
	log := logging.NewLogrLogger(zl.WithName("provider-rowplane"))
	log.Info("starting", "version", version, "sync", *syncPeriod, "maxReconcileRate", *maxRate)

	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, extv1.AddToScheme, v1alpha1.AddToScheme} {
		if err := add(scheme); err != nil {
			return fmt.Errorf("build scheme: %w", err)
		}
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	cfg = ratelimiter.LimitRESTConfig(cfg, *maxRate)
	if *apiQPS > 0 {
		cfg.QPS, cfg.Burst = float32(*apiQPS), 2**apiQPS
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                 scheme,
		LeaderElection:         *leaderElection,
		LeaderElectionID:       "crossplane-leader-election-provider-rowplane",
		Cache:                  cache.Options{SyncPeriod: syncPeriod},
		Metrics:                metricsserver.Options{BindAddress: *metricsAddr},
		HealthProbeBindAddress: *healthAddr,
		// Secrets are read when a Hub syncs, never cached: caching them would hold every
		// Secret of the cluster in memory.
		Client: client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		return fmt.Errorf("create manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("add health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return fmt.Errorf("add ready check: %w", err)
	}

	pools := source.NewPools()
	defer pools.Close()
	if err := config.Setup(mgr, log, pools); err != nil {
		return fmt.Errorf("set up ProviderConfig controllers: %w", err)
	}
	err = hubsync.Setup(mgr, hubsync.SetupOptions{
		Logger:                  log,
		Metrics:                 metrics.New(crmetrics.Registry),
		Renderer:                template.New(template.Options{}),
		Sources:                 pools,
		MaxConcurrentReconciles: *maxConcurrent,
		MaxReconcileRate:        *maxRate,
	})
	if err != nil {
		return fmt.Errorf("set up Hub controller: %w", err)
	}
	return mgr.Start(ctrl.SetupSignalHandler())
}

func level(debug bool) zapcore.Level {
	if debug {
		return zapcore.DebugLevel
	}
	return zapcore.InfoLevel
}
