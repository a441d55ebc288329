package hubsync_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/source/postgres"
	"github.com/rowplane/rowplane/provider/source/postgres/pgtest"
)

const pgExampleDir = exampleDir + "/hub-postgres"

// TestExamplePostgresHub runs the PostgreSQL variant of the example as a user would: its
// nodes.sql and trigger.sql on a PostgreSQL database, its ProviderConfig's engine and its Hub
// (Notify) under a running manager. A row inserted afterwards becomes the example claim, so the
// manifests in examples/ stay true, and trigger.sql is what postgres.TriggerSQL writes.
func TestExamplePostgresHub(t *testing.T) {
	t.Parallel()
	hub := &v1alpha1.Hub{}
	readYAML(t, filepath.Join(pgExampleDir, "hub.yaml"), hub)
	pc := &v1alpha1.ProviderConfig{}
	readYAMLDoc(t, filepath.Join(pgExampleDir, "providerconfig.yaml"), v1alpha1.ProviderConfigKind, pc)
	if pc.Spec.Engine != v1alpha1.EnginePostgres {
		t.Errorf("the example ProviderConfig: want engine %s, got %q", v1alpha1.EnginePostgres, pc.Spec.Engine)
	}
	trigger := readFile(t, filepath.Join(pgExampleDir, "trigger.sql"))
	want, err := postgres.TriggerSQL(hub.Spec.Table, hub.Spec.ChangeDetection.Channel)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, trigger); diff != "" {
		t.Errorf("trigger.sql should be TriggerSQL(%q, %q): -want +got:\n%s", hub.Spec.Table, hub.Spec.ChangeDetection.Channel, diff)
	}

	h := newAPIHarness(t)
	pg := pgtest.New(t)
	spec := v1alpha1.ProviderConfigSpec{Engine: pc.Spec.Engine, Host: pg.Host, Port: int32(pg.Port), Database: pg.Name} //nolint:gosec // test port.
	h.createProviderConfig("default", pg.User, pg.Password, spec)
	pg.Exec(t, readFile(t, filepath.Join(pgExampleDir, "nodes.sql")), trigger)
	h.createHub(func(h *v1alpha1.Hub) {
		h.Spec = hub.Spec
		h.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "default"}
	})
	startManager(t, h)
	pg.Exec(t, `INSERT INTO nodes (node_id, is_active, db_instance_class, db_storage_gb, db_multi_az, plan_type)
		VALUES ('acme-corp', true, 'db.t3.small', 50, true, 'pro')`)
	eventually(t, "the example Hub creates the claim of a new row", func() bool { _, ok := h.claims()["acme-corp"]; return ok })

	if diff := cmp.Diff(map[string]map[string]any{"acme-corp": exampleClaimSpec(t)}, h.claims()); diff != "" {
		t.Errorf("the PostgreSQL example Hub should write the example claim: -want +got:\n%s", diff)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path) //nolint:gosec // test fixture path.
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readYAMLDoc decodes the document of kind from a multi-document YAML file.
func readYAMLDoc(t *testing.T, path, kind string, into any) {
	t.Helper()
	for _, doc := range strings.Split(readFile(t, path), "\n---\n") {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if meta.Kind == kind {
			if err := yaml.Unmarshal([]byte(doc), into); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			return
		}
	}
	t.Fatalf("%s holds no %s", path, kind)
}
