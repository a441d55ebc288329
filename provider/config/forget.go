package config

import (
	"context"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/rowplane/rowplane/provider/source"
)

// A Forgetter closes the connections opened for a ProviderConfig; source.Pools is one.
type Forgetter interface {
	Forget(owner string)
}

// forgetGone closes the pooled connections of a ProviderConfig once it is gone, then hands the
// request on. Without it the pools of deleted configs would stay open, each holding
// connections (and the credentials in them) for the life of the provider.
type forgetGone struct {
	next   reconcile.Reconciler
	client client.Reader
	kind   string
	newPC  func() client.Object
	pools  Forgetter
}

func (f forgetGone) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	err := f.client.Get(ctx, req.NamespacedName, f.newPC())
	if kerrors.IsNotFound(err) {
		f.pools.Forget(source.Owner(f.kind, req.Namespace, req.Name))
		return reconcile.Result{}, nil
	}
	return f.next.Reconcile(ctx, req)
}
