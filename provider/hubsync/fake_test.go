package hubsync_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/internal/template"
	"github.com/rowplane/rowplane/provider/hubsync"
	"github.com/rowplane/rowplane/provider/metrics"
	rpschema "github.com/rowplane/rowplane/provider/schema"
	"github.com/rowplane/rowplane/provider/source"
)

// fakeSource is a table in memory: it returns its rows, or fails, and counts the opens.
type fakeSource struct {
	mu     sync.Mutex
	rows   []source.Row
	err    error
	opened []source.Connection
}

func (f *fakeSource) Open(_ string, c source.Connection) (source.Source, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, c)
	return f, nil
}

func (f *fakeSource) Read(context.Context, source.Query) ([]source.Row, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	out := make([]source.Row, len(f.rows))
	for i, r := range f.rows {
		out[i] = source.Row{}
		for k, v := range r {
			out[i][k] = v
		}
	}
	return out, nil
}

func (f *fakeSource) set(err error, rows ...source.Row) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows, f.err = rows, err
}

// kindsFromFiles reads target kinds from CRD files in testdata, every one a claim kind.
type kindsFromFiles map[schema.GroupVersionKind]*rpschema.Kind

func (k kindsFromFiles) Kind(_ context.Context, gvk schema.GroupVersionKind) (*rpschema.Kind, error) {
	if kd, ok := k[gvk]; ok {
		return kd, nil
	}
	return nil, &meta.NoKindMatchError{GroupKind: gvk.GroupKind(), SearchedVersions: []string{gvk.Version}}
}

func claimKind(t testing.TB) kindsFromFiles {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "nodedatabases.example.rowplane.io.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	crd := &extv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(b, crd); err != nil {
		t.Fatal(err)
	}
	return kindsFromFiles{claimGVK: {GVK: claimGVK, Namespaced: true, Root: crd.Spec.Versions[0].Schema.OpenAPIV3Schema,
		Role: rpschema.RoleClaim, XRD: "xnodedatabases.example.rowplane.io"}}
}

// unit is a Hub reconciler on a fake source and controller-runtime's fake client: no API
// server, no database.
type unit struct {
	t   *testing.T
	ctx context.Context
	src *fakeSource
	c   client.Client
	rec *recorder
	r   *hubsync.Reconciler
	hub types.NamespacedName
	now time.Time
}

const unitNS = "team-a"

// newUnit builds the reconciler with the database-per-node Hub, mutated by mutate, and its
// ProviderConfig, mutated by pc; funcs, when given, intercept the client's calls.
func newUnit(t *testing.T, mutate func(*v1alpha1.Hub), pc func(*v1alpha1.ProviderConfig), funcs ...interceptor.Funcs) *unit {
	t.Helper()
	mapper := meta.NewDefaultRESTMapper(nil)
	mapper.Add(claimGVK, meta.RESTScopeNamespace)
	hub := &v1alpha1.Hub{
		ObjectMeta: metav1.ObjectMeta{Namespace: unitNS, Name: "database-per-node", UID: "hub-uid-1"},
		Spec: v1alpha1.HubSpec{
			Table:         "nodes",
			ValueMappings: v1alpha1.ValueMappings{UID: "node_id", Activate: "is_active"},
			ExtraValueMappings: map[string]string{
				"dbInstanceClass": "db_instance_class", "planType": "plan_type",
			},
			Targets: []v1alpha1.Target{{APIVersion: claimGVK.GroupVersion().String(), Kind: claimGVK.Kind}},
		},
	}
	if mutate != nil {
		mutate(hub)
	}
	cfg := &v1alpha1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: unitNS, Name: "default"},
		Spec: v1alpha1.ProviderConfigSpec{Host: "db.example", Database: "tenants",
			Credentials: v1alpha1.Credentials{SecretRef: v1alpha1.SecretRef{Name: "creds"}}}}
	if pc != nil {
		pc(cfg)
	}
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: unitNS, Name: "creds"},
		Data: map[string][]byte{"username": []byte("reader"), "password": []byte("s3cret")}}
	b := fake.NewClientBuilder().WithScheme(newScheme(t)).WithRESTMapper(mapper).
		WithObjects(hub, cfg, sec).WithStatusSubresource(&v1alpha1.Hub{})
	for _, f := range funcs {
		b = b.WithInterceptorFuncs(f)
	}
	c := b.Build()
	u := &unit{t: t, ctx: context.Background(), src: &fakeSource{}, c: c, rec: &recorder{},
		hub: types.NamespacedName{Namespace: unitNS, Name: hub.Name}, now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	u.r = hubsync.NewReconciler(c, c, claimKind(t), u.src, template.New(template.Options{}), metrics.New(prometheus.NewRegistry()),
		hubsync.WithRecorder(u.rec), hubsync.WithClock(func() time.Time { return u.now }))
	return u
}

// sync reconciles the Hub once with rows (or a read failure) in the table.
func (u *unit) sync(err error, rows ...source.Row) {
	u.t.Helper()
	u.src.set(err, rows...)
	if _, err := u.r.Reconcile(u.ctx, reconcile.Request{NamespacedName: u.hub}); err != nil {
		u.t.Fatalf("Reconcile: %v", err)
	}
}

func (u *unit) claims() map[string]map[string]any {
	u.t.Helper()
	return claimSpecs(u.t, u.ctx, u.c, unitNS)
}

func (u *unit) getHub() *v1alpha1.Hub {
	u.t.Helper()
	return getHub(u.t, u.ctx, u.c, u.hub)
}

// approve sets the approval annotation on the Hub.
func (u *unit) approve(batch string) {
	u.t.Helper()
	hub := u.getHub()
	if hub.Annotations == nil {
		hub.Annotations = map[string]string{}
	}
	hub.Annotations[v1alpha1.AnnotationApproveDeletions] = batch
	if err := u.c.Update(u.ctx, hub); err != nil {
		u.t.Fatal(err)
	}
}

// row is a row of the seed table.
func row(id string, active any, plan string) source.Row {
	return source.Row{"node_id": id, "is_active": active, "db_instance_class": "db.t3.micro", "plan_type": plan}
}
