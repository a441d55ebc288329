package hubsync_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/internal/template"
	"github.com/rowplane/rowplane/provider/hubsync"
	"github.com/rowplane/rowplane/provider/metrics"
	rpschema "github.com/rowplane/rowplane/provider/schema"
	"github.com/rowplane/rowplane/provider/source"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

var claimGVK = schema.GroupVersionKind{Group: "example.rowplane.io", Version: "v1alpha1", Kind: "NodeDatabase"}

// seedTable is the `nodes` table of the database-per-node example.
const seedTable = `CREATE TABLE nodes (
	node_id VARCHAR(63) PRIMARY KEY,
	is_active BOOLEAN DEFAULT TRUE,
	db_instance_class VARCHAR(30) DEFAULT 'db.t3.micro',
	db_storage_gb INT DEFAULT 20,
	db_multi_az BOOLEAN DEFAULT FALSE,
	plan_type VARCHAR(20) DEFAULT 'basic'
)`

// writes counts the API writes of a test, claims apart from everything else.
type writes struct {
	claims, other atomic.Int64
}

func (w *writes) count(gvk schema.GroupVersionKind) {
	if gvk.Kind == claimGVK.Kind {
		w.claims.Add(1)
		return
	}
	w.other.Add(1)
}

// recorder keeps every event message.
type recorder struct {
	mu     sync.Mutex
	events []event.Event
}

func (r *recorder) Event(_ runtime.Object, e event.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) WithAnnotations(...string) event.Recorder { return r }

// has reports whether an event of reason r contains every substring.
func (r *recorder) has(reason event.Reason, subs ...string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
next:
	for _, e := range r.events {
		if e.Reason != reason {
			continue
		}
		for _, s := range subs {
			if !strings.Contains(e.Message, s) {
				continue next
			}
		}
		return true
	}
	return false
}

// harness is one test's namespace, database, Hub and reconciler.
type harness struct {
	t      testing.TB
	ctx    context.Context
	ns     string
	db     *mysqltest.Database
	c      client.Client
	writes *writes
	rec    *recorder
	r      *hubsync.Reconciler
	hub    types.NamespacedName
}

func newScheme(t testing.TB) *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, extv1.AddToScheme, v1alpha1.AddToScheme} {
		if err := add(s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// newHarness sets up a test's namespace, MariaDB database and reconciler; o configures the
// reconciler (e.g. hubsync.WithClock).
func newHarness(t testing.TB, o ...hubsync.Option) *harness {
	t.Helper()
	h := newAPIHarness(t, o...)
	h.db = mysqltest.New(t)
	h.providerConfig("default", h.db.User, h.db.Password, h.db.Port)
	return h
}

// newAPIHarness sets up a test's namespace and reconciler, without a database.
func newAPIHarness(t testing.TB, o ...hubsync.Option) *harness {
	t.Helper()
	cfg := needAPIServer(t)
	ctx := context.Background()
	// client-go's default of 5 requests per second would make the scale test take hours.
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = 2000, 4000
	raw, err := client.NewWithWatch(cfg, client.Options{Scheme: newScheme(t)})
	if err != nil {
		t.Fatal(err)
	}
	w := &writes{}
	counted := interceptor.NewClient(raw, interceptor.Funcs{
		Create: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.CreateOption) error {
			w.count(o.GetObjectKind().GroupVersionKind())
			return c.Create(ctx, o, opts...)
		},
		Update: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.UpdateOption) error {
			w.count(o.GetObjectKind().GroupVersionKind())
			return c.Update(ctx, o, opts...)
		},
		Patch: func(ctx context.Context, c client.WithWatch, o client.Object, p client.Patch, opts ...client.PatchOption) error {
			w.count(o.GetObjectKind().GroupVersionKind())
			return c.Patch(ctx, o, p, opts...)
		},
		Delete: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.DeleteOption) error {
			w.count(o.GetObjectKind().GroupVersionKind())
			return c.Delete(ctx, o, opts...)
		},
		Apply: func(ctx context.Context, c client.WithWatch, o runtime.ApplyConfiguration, opts ...client.ApplyOption) error {
			if u, ok := o.(interface{ GetKind() string }); ok && u.GetKind() == claimGVK.Kind {
				w.claims.Add(1)
			} else {
				w.other.Add(1)
			}
			return c.Apply(ctx, o, opts...)
		},
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, o client.Object, p client.Patch, opts ...client.SubResourcePatchOption) error {
			w.other.Add(1)
			return c.SubResource(sub).Patch(ctx, o, p, opts...)
		},
	})
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "hub-test-"}}
	if err := raw.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	pool := source.NewPools()
	t.Cleanup(pool.Close)
	kr := rpschema.Reader{Mapper: raw.RESTMapper(), Client: raw}
	r := hubsync.NewReconciler(counted, raw, kr, pool, template.New(template.Options{}), metrics.New(prometheus.NewRegistry()),
		append([]hubsync.Option{hubsync.WithRecorder(rec)}, o...)...)
	return &harness{t: t, ctx: ctx, ns: ns.Name, c: raw, writes: w, rec: rec, r: r}
}

// providerConfig creates (or replaces) a ProviderConfig reaching the test database as user.
func (h *harness) providerConfig(name, user, password string, port int) {
	h.t.Helper()
	h.createProviderConfig(name, user, password, v1alpha1.ProviderConfigSpec{Host: h.db.Host, Port: int32(port), Database: h.db.Name}) //nolint:gosec // test port.
}

// createProviderConfig creates a ProviderConfig of spec, in plain text with a short timeout,
// and the Secret of its credentials.
func (h *harness) createProviderConfig(name, user, password string, spec v1alpha1.ProviderConfigSpec) {
	h.t.Helper()
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: h.ns, Name: name + "-creds"},
		Data: map[string][]byte{"username": []byte(user), "password": []byte(password)}}
	spec.Credentials = v1alpha1.Credentials{SecretRef: v1alpha1.SecretRef{Name: sec.Name}}
	spec.TLS = &v1alpha1.TLSConfig{Mode: v1alpha1.TLSDisabled}
	spec.QueryTimeout = &metav1.Duration{Duration: 5 * time.Second}
	pc := &v1alpha1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: h.ns, Name: name}, Spec: spec}
	for _, o := range []client.Object{sec, pc} {
		if err := h.c.Create(h.ctx, o); err != nil {
			h.t.Fatal(err)
		}
	}
}

// seedHub creates the seed table and a Hub that maps it like the database-per-node example.
func (h *harness) seedHub(mutate func(*v1alpha1.Hub), rows ...string) {
	h.t.Helper()
	h.db.Exec(h.t, seedTable)
	h.db.Exec(h.t, rows...)
	h.createHub(mutate)
}

// createHub creates a Hub that maps the seed table like the database-per-node example.
func (h *harness) createHub(mutate func(*v1alpha1.Hub)) {
	h.t.Helper()
	hub := &v1alpha1.Hub{
		ObjectMeta: metav1.ObjectMeta{Namespace: h.ns, Name: "database-per-node"},
		Spec: v1alpha1.HubSpec{
			Table:         "nodes",
			ValueMappings: v1alpha1.ValueMappings{UID: "node_id", Activate: "is_active"},
			ExtraValueMappings: map[string]string{
				"dbInstanceClass": "db_instance_class", "dbStorageGb": "db_storage_gb",
				"dbMultiAz": "db_multi_az", "planType": "plan_type",
			},
			Targets: []v1alpha1.Target{{APIVersion: claimGVK.GroupVersion().String(), Kind: claimGVK.Kind}},
		},
	}
	if mutate != nil {
		mutate(hub)
	}
	if err := h.c.Create(h.ctx, hub); err != nil {
		h.t.Fatal(err)
	}
	h.hub = types.NamespacedName{Namespace: hub.Namespace, Name: hub.Name}
}

// sync runs one reconcile and returns the claim writes it made.
func (h *harness) sync() int64 {
	h.t.Helper()
	before := h.writes.claims.Load()
	if _, err := h.r.Reconcile(h.ctx, reconcile.Request{NamespacedName: h.hub}); err != nil {
		h.t.Fatalf("Reconcile: %v", err)
	}
	return h.writes.claims.Load() - before
}

// claims returns the spec of every claim in the namespace by name, without Crossplane's
// machinery fields.
func (h *harness) claims() map[string]map[string]any {
	h.t.Helper()
	out := claimSpecs(h.t, h.ctx, h.c, h.ns)
	for _, spec := range out {
		delete(spec, "compositeDeletePolicy")
	}
	return out
}

// claimSpecs returns the spec of every claim in namespace ns by name.
func claimSpecs(t testing.TB, ctx context.Context, c client.Reader, ns string) map[string]map[string]any {
	t.Helper()
	l := &unstructured.UnstructuredList{}
	l.SetGroupVersionKind(claimGVK.GroupVersion().WithKind("NodeDatabaseList"))
	if err := c.List(ctx, l, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, o := range l.Items {
		spec, _, _ := unstructured.NestedMap(o.Object, "spec")
		out[o.GetName()] = spec
	}
	return out
}

// getHub reads the Hub key.
func getHub(t testing.TB, ctx context.Context, c client.Reader, key types.NamespacedName) *v1alpha1.Hub {
	t.Helper()
	hub := &v1alpha1.Hub{}
	if err := c.Get(ctx, key, hub); err != nil {
		t.Fatal(err)
	}
	return hub
}

func (h *harness) claim(name string) *unstructured.Unstructured {
	h.t.Helper()
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(claimGVK)
	if err := h.c.Get(h.ctx, types.NamespacedName{Namespace: h.ns, Name: name}, u); err != nil {
		h.t.Fatal(err)
	}
	return u
}

func (h *harness) getHub() *v1alpha1.Hub {
	h.t.Helper()
	return getHub(h.t, h.ctx, h.c, h.hub)
}

// condition returns a Hub condition as "Status/Reason".
func (h *harness) condition(ct xpv2.ConditionType) (string, string) {
	c := h.getHub().GetCondition(ct)
	return fmt.Sprintf("%s/%s", c.Status, c.Reason), c.Message
}

// spec is a claim spec as the API server returns it, defaults included.
func spec(class string, gb int64, multiAZ bool, plan string) map[string]any {
	return map[string]any{"dbInstanceClass": class, "dbStorageGb": gb, "dbMultiAz": multiAZ, "planType": plan}
}
