package standin

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/internal/settled"
)

// deploymentGVK is the only workload the example composes.
var deploymentGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "DeploymentList"}

// Kubelet writes the status a rolled-out Deployment would have (settled.Status computes
// it) onto every Deployment whose status is behind its spec: there are no nodes, so nothing
// else ever would.
type Kubelet struct {
	c client.Client
}

// NewKubelet returns the Deployment status stand-in.
func NewKubelet(c client.Client) *Kubelet { return &Kubelet{c: c} }

// Run marks Deployments available until ctx ends.
func (k *Kubelet) Run(ctx context.Context) {
	for ctx.Err() == nil {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(deploymentGVK)
		if err := k.c.List(ctx, list); err == nil {
			for i := range list.Items {
				k.reconcile(ctx, &list.Items[i])
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (k *Kubelet) reconcile(ctx context.Context, d *unstructured.Unstructured) {
	if d.GetDeletionTimestamp() != nil {
		return
	}
	observed, _, _ := unstructured.NestedInt64(d.Object, "status", "observedGeneration")
	if observed == d.GetGeneration() {
		return
	}
	_ = k.c.Status().Update(ctx, settled.Status(d))
}
