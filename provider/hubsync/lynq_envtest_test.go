package hubsync_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// lynqFixtures holds a LynqHub and a LynqForm in Lynq's own format, written for these tests.
const lynqFixtures = "../../testdata/lynq"

// lynqTable is the table the fixture LynqHub reads (table storefronts), with the columns its
// valueMappings and extraValueMappings name. isActive is text, so the rows can spell
// "active" the ways Lynq accepts.
const lynqTable = `CREATE TABLE storefronts (
	id VARCHAR(63) PRIMARY KEY,
	url VARCHAR(255),
	isActive VARCHAR(8),
	image VARCHAR(255),
	plan_id VARCHAR(32),
	replica_count INT
)`

const lynqRows = `INSERT INTO storefronts VALUES
	('acme',     'https://acme.example.com/app', '1',     'nginx:1.27',             'pro',   3),
	('globex',   'globex.example.com:8443',      'true',  'ghcr.io/globex/web:2.1', 'basic', 1),
	('initech',  NULL,                           'yes',   NULL,                     'free',  NULL),
	('wayne',    'http://wayne.example.com',     'yEs',   'nginx:stable',           'pro',   4),
	('hooli',    'https://hooli.example.com',    '0',     'nginx:1.27',             'pro',   5),
	('umbrella', 'https://umbrella.example.com', 'false', 'nginx:1.27',             'pro',   5),
	('stark',    'https://stark.example.com',    'on',    'nginx:1.27',             'pro',   5),
	('soylent',  'https://soylent.example.com',  NULL,    'nginx:1.27',             'pro',   5)`

func readLynqSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(lynqFixtures, name)) //nolint:gosec // test fixture path.
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLynqSampleHub translates a LynqHub in Lynq's format, unedited, into a ProviderConfig, a
// credentials Secret and a Hub, syncs it against a table shaped like the fixture's and checks the
// claims on the API server.
func TestLynqSampleHub(t *testing.T) {
	t.Parallel()
	in, err := decodeLynq(readLynqSample(t, "hub.yaml"), readLynqSample(t, "form.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sample, err := fromLynq(in, webNodeGVK)
	if err != nil {
		t.Fatal(err)
	}
	wantSpec := v1alpha1.HubSpec{
		ProviderConfigReference: &xpv2.ProviderConfigReference{Kind: "ProviderConfig", Name: "storefronts"},
		Table:                   "storefronts", SyncInterval: "45s",
		ValueMappings:      v1alpha1.ValueMappings{UID: "id", Activate: "isActive", HostOrURL: "url"},
		ExtraValueMappings: map[string]string{"deployImage": "image", "planId": "plan_id", "replicas": "replica_count"},
		Targets: []v1alpha1.Target{{APIVersion: "example.rowplane.io/v1alpha1", Kind: "WebNode",
			CompositionRef: &v1alpha1.CompositionReference{Name: "storefronts"}}},
	}
	if diff := cmp.Diff(wantSpec, sample.hub.Spec); diff != "" {
		t.Errorf("the fixture's table, interval and mappings carry over field by field; its forms become one Composition named after the hub: -want +got:\n%s", diff)
	}
	wantPC := v1alpha1.ProviderConfigSpec{Host: "db.shops.svc.cluster.local", Port: 3306, Database: "shops",
		Credentials: v1alpha1.Credentials{SecretRef: v1alpha1.SecretRef{Name: "storefront-db"}, UsernameKey: "username", PasswordKey: "password"}}
	if diff := cmp.Diff(wantPC, sample.pc.Spec); diff != "" {
		t.Errorf("the fixture's connection becomes the ProviderConfig, its password Secret the credentials: -want +got:\n%s", diff)
	}

	spec := func(image, plan string, replicas int64, url string) map[string]any {
		s := map[string]any{"planId": plan, "replicas": replicas, "compositionRef": map[string]any{"name": "storefronts"}}
		if image != "" {
			s["deployImage"] = image
		}
		if url != "" {
			s["hostOrUrl"] = url
		}
		return s
	}
	cases := map[string]struct {
		reason string
		mutate func(*v1alpha1.Hub)
		want   map[string]map[string]any
	}{
		"OneToOne": {
			reason: "one claim per active row ('1', 'true', 'yes'; and 'yEs', active in rowplane's case-insensitive set but not in Lynq's exact one), " +
				"named by id, values typed after the claim schema (replicas an integer), NULL columns left to the schema default; " +
				"valueMappings.hostOrUrl is written, verbatim, as hostOrUrl because the claim kind has that field, so the form's .host works; '0', 'false', 'on' and NULL are inactive",
			want: map[string]map[string]any{
				"acme":    spec("nginx:1.27", "pro", 3, "https://acme.example.com/app"),
				"globex":  spec("ghcr.io/globex/web:2.1", "basic", 1, "globex.example.com:8443"),
				"initech": spec("", "free", 2, ""),
				"wayne":   spec("nginx:stable", "pro", 4, "http://wayne.example.com"),
			},
		},
		"HostOrURLAlsoExtra": {
			reason: "mapping the url column as extraValueMappings.hostOrUrl as well changes nothing: the explicit mapping wins and " +
				"the claim carries the URL once; a NULL url leaves the field out",
			mutate: func(hub *v1alpha1.Hub) { hub.Spec.ExtraValueMappings["hostOrUrl"] = hub.Spec.ValueMappings.HostOrURL },
			want: map[string]map[string]any{
				"acme":    spec("nginx:1.27", "pro", 3, "https://acme.example.com/app"),
				"globex":  spec("ghcr.io/globex/web:2.1", "basic", 1, "globex.example.com:8443"),
				"initech": spec("", "free", 2, ""),
				"wayne":   spec("nginx:stable", "pro", 4, "http://wayne.example.com"),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.db.Exec(t, lynqTable, lynqRows)
			objs, err := fromLynq(in, webNodeGVK)
			if err != nil {
				t.Fatal(err)
			}
			// The fixture lives in namespace shops and reaches db.shops.svc.cluster.local as
			// lynq_reader; here every object goes in the test's namespace and the
			// connection is pointed at the test MariaDB: its host, port, database and admin user.
			// TLS is left to rowplane's default, preferred, which the test server may or may not offer.
			objs.secret.Namespace, objs.pc.Namespace, objs.hub.Namespace = h.ns, h.ns, h.ns
			objs.secret.StringData["username"] = h.db.User
			objs.secret.StringData[objs.pc.Spec.Credentials.PasswordKey] = h.db.Password
			objs.pc.Spec.Host, objs.pc.Spec.Port, objs.pc.Spec.Database = h.db.Host, int32(h.db.Port), h.db.Name //nolint:gosec // test port.
			if tc.mutate != nil {
				tc.mutate(objs.hub)
			}
			for _, o := range []client.Object{objs.secret, objs.pc, objs.hub} {
				if err := h.c.Create(h.ctx, o); err != nil {
					t.Fatal(err)
				}
			}
			h.hub = types.NamespacedName{Namespace: h.ns, Name: objs.hub.Name}
			h.sync()

			if s, msg := h.condition("Synced"); s != "True/ReconcileSuccess" {
				t.Fatalf("%s\nSynced: want True/ReconcileSuccess, got %s: %s", tc.reason, s, msg)
			}
			got, uids := webNodes(t, h)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nclaims: -want +got:\n%s", tc.reason, diff)
			}
			for name, uid := range uids {
				if uid != name {
					t.Errorf("%s\nclaim %s: annotation %s want %q, got %q", tc.reason, name, v1alpha1.AnnotationUID, name, uid)
				}
			}
			st := h.getHub().Status
			if diff := cmp.Diff([]int64{8, 4, 0}, []int64{st.Rows, st.ActiveRows, st.InvalidRows}); diff != "" {
				t.Errorf("%s\nstatus rows, activeRows, invalidRows: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// webNodes returns the spec of every WebNode in the namespace by name, without Crossplane's
// compositeDeletePolicy default, and each one's rowplane.io/uid annotation.
func webNodes(t *testing.T, h *harness) (map[string]map[string]any, map[string]string) {
	t.Helper()
	l := &unstructured.UnstructuredList{}
	l.SetGroupVersionKind(webNodeGVK.GroupVersion().WithKind("WebNodeList"))
	if err := h.c.List(h.ctx, l, client.InNamespace(h.ns)); err != nil {
		t.Fatal(err)
	}
	specs, uids := map[string]map[string]any{}, map[string]string{}
	for _, o := range l.Items {
		s, _, _ := unstructured.NestedMap(o.Object, "spec")
		delete(s, "compositeDeletePolicy")
		specs[o.GetName()] = s
		uids[o.GetName()] = o.GetAnnotations()[v1alpha1.AnnotationUID]
	}
	return specs, uids
}
