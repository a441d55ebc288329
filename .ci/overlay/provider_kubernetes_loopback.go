// This file is added to provider-kubernetes' cmd/provider (package main) when .ci/tools.sh
// builds it (go build -overlay); nothing else of the provider changes. provider-kubernetes
// v1.0.0 has no flags for its listeners: it serves metrics on :8080 and its conversion webhook
// on :9443, on every interface. The end-to-end suite runs it as a plain process next to other
// runs, so both must listen on loopback only, at ports the suite chooses:
//
//	ROWPLANE_METRICS_ADDRESS  metrics bind address (default 127.0.0.1:0, any free port)
//	ROWPLANE_WEBHOOK_PORT     webhook port on 127.0.0.1 (default the provider's 9443)
package main

import (
	"os"
	"strconv"

	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/webhook"
)

func init() {
	next := ctrl.NewManager
	ctrl.NewManager = func(cfg *rest.Config, o manager.Options) (manager.Manager, error) {
		o.Metrics.BindAddress = "127.0.0.1:0"
		if a := os.Getenv("ROWPLANE_METRICS_ADDRESS"); a != "" {
			o.Metrics.BindAddress = a
		}
		if s, ok := o.WebhookServer.(*webhook.DefaultServer); ok {
			s.Options.Host = "127.0.0.1"
			if p, err := strconv.Atoi(os.Getenv("ROWPLANE_WEBHOOK_PORT")); err == nil && p > 0 {
				s.Options.Port = p
			}
		}
		return next(cfg, o)
	}
}
