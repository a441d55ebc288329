package config

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

type forgotten []string

func (f *forgotten) Forget(owner string) { *f = append(*f, owner) }

// TestForgetGone proves the connections of a deleted ProviderConfig are forgotten under the
// owner name the Hub opened them with, and that a config still there is left to the usage
// reconciler.
func TestForgetGone(t *testing.T) {
	t.Parallel()
	s := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	existing := &v1alpha1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: "live"}}
	cases := map[string]struct {
		reason     string
		kind       string
		newPC      func() client.Object
		req        types.NamespacedName
		wantForget forgotten
		wantNext   int
	}{
		"DeletedProviderConfig": {
			reason: "a namespaced config that is gone is forgotten as ProviderConfig/<ns>/<name>",
			kind:   v1alpha1.ProviderConfigKind, newPC: func() client.Object { return &v1alpha1.ProviderConfig{} },
			req:        types.NamespacedName{Namespace: "team-a", Name: "gone"},
			wantForget: forgotten{"ProviderConfig/team-a/gone"},
		},
		"DeletedClusterProviderConfig": {
			reason: "a cluster config that is gone is forgotten as ClusterProviderConfig/<name>",
			kind:   v1alpha1.ClusterProviderConfigKind, newPC: func() client.Object { return &v1alpha1.ClusterProviderConfig{} },
			req:        types.NamespacedName{Name: "shared"},
			wantForget: forgotten{"ClusterProviderConfig/shared"},
		},
		"LiveProviderConfig": {
			reason: "a config that exists keeps its connections and is counted by the usage reconciler",
			kind:   v1alpha1.ProviderConfigKind, newPC: func() client.Object { return &v1alpha1.ProviderConfig{} },
			req:      types.NamespacedName{Namespace: "team-a", Name: "live"},
			wantNext: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got forgotten
			next := 0
			f := forgetGone{
				next: reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
					next++
					return reconcile.Result{}, nil
				}),
				client: fake.NewClientBuilder().WithScheme(s).WithObjects(existing.DeepCopy()).Build(),
				kind:   tc.kind, newPC: tc.newPC, pools: &got,
			}
			if _, err := f.Reconcile(context.Background(), reconcile.Request{NamespacedName: tc.req}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantForget, got); diff != "" {
				t.Errorf("%s: forgotten owners (-want +got):\n%s", tc.reason, diff)
			}
			if next != tc.wantNext {
				t.Errorf("%s: usage reconciler ran %d times, want %d", tc.reason, next, tc.wantNext)
			}
		})
	}
}
