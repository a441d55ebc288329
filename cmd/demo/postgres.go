package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/internal/devstack/stack"
)

// pgExampleDir is the example's PostgreSQL variant of hub/: table, trigger, ProviderConfig and
// Hub (mode Notify, syncInterval 5m as shipped).
const pgExampleDir = stack.ExampleDir + "/hub-postgres"

// openPostgres uses the PostgreSQL database that dsn (a postgres:// URL or key=value string)
// names, as openExternal does a MySQL one: it creates the nodes table and its NOTIFY trigger
// from the example when the table is absent, and refuses a non-empty one unless reset.
func openPostgres(ctx context.Context, root, dsn string, reset bool) (*nodesTable, []string, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, errors.Wrap(err, "PG_DSN")
	}
	conn, err := pgConnection(cfg)
	if err != nil {
		return nil, nil, err
	}
	db := stdlib.OpenDB(*cfg)
	t := &nodesTable{db: db, conn: conn, postgres: true, close: func() { _ = db.Close() },
		about: fmt.Sprintf("PostgreSQL from PG_DSN at %s:%d, table %s.public.nodes (NOTIFY trigger from %s/trigger.sql)", cfg.Host, cfg.Port, cfg.Database, pgExampleDir)}
	notes, err := t.preparePostgres(ctx, root, reset)
	if err != nil {
		t.close()
		return nil, nil, err
	}
	return t, notes, nil
}

// pgConnection turns a parsed PG_DSN into the ProviderConfig's connection. A DSN without
// sslmode means pgx's prefer, which the ProviderConfig calls preferred.
func pgConnection(cfg *pgx.ConnConfig) (stack.Database, error) {
	if cfg.Database == "" {
		return stack.Database{}, errors.New("PG_DSN: name the database: postgres://user:pass@host:5432/db")
	}
	if filepath.IsAbs(cfg.Host) {
		return stack.Database{}, errors.Errorf("PG_DSN: the provider connects over TCP, not the socket %q: use postgres://user:pass@host:port/db", cfg.Host)
	}
	// pgx's sslmode, read back from what it configured.
	tc := cfg.TLSConfig
	mode := "preferred"
	switch {
	case tc == nil:
		mode = "disabled"
	case !tc.InsecureSkipVerify:
		mode = "verify-full"
	case tc.VerifyPeerCertificate != nil:
		mode = "verify-ca"
	case len(cfg.Fallbacks) == 0:
		mode = "required"
	}
	return stack.Database{Host: cfg.Host, Port: int(cfg.Port), Name: cfg.Database, User: cfg.User, Password: cfg.Password, TLSMode: mode}, nil
}

// preparePostgres creates the nodes table and trigger when the table is absent and checks an
// existing one is empty (or empties it when reset), returning what it did for the screen.
func (t *nodesTable) preparePostgres(ctx context.Context, root string, reset bool) ([]string, error) {
	var exists bool
	if err := t.db.QueryRowContext(ctx, "SELECT to_regclass('nodes') IS NOT NULL").Scan(&exists); err != nil {
		return nil, errors.Wrap(err, "look for the nodes table")
	}
	if !exists {
		var stmts []string
		for _, f := range []string{"nodes.sql", "trigger.sql"} {
			b, err := os.ReadFile(filepath.Join(root, pgExampleDir, f)) //nolint:gosec // the example's SQL.
			if err != nil {
				return nil, errors.Wrap(err, "read the example's SQL")
			}
			stmts = append(stmts, string(b))
		}
		return []string{"created table nodes and its NOTIFY trigger from " + pgExampleDir}, t.exec(ctx, stmts...)
	}
	return t.emptyOrReset(ctx, reset, "PG_DSN")
}

// applyPostgresHub creates the tenants namespace and applies the PostgreSQL variant's
// credentials Secret, ProviderConfig (pointed at db, the CA placeholder left out) and Hub as
// shipped: Notify, so rows show up within a second although it reads everything every 5m only.
func applyPostgresHub(ctx context.Context, c client.Client, root string, db stack.Database) error {
	err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: stack.TenantsNS}})
	if err != nil && !kerrors.IsAlreadyExists(err) {
		return errors.Wrapf(err, "create namespace %s", stack.TenantsNS)
	}
	var objs []*unstructured.Unstructured
	for _, f := range []string{"providerconfig.yaml", "hub.yaml"} {
		docs, err := stack.LoadExample(root, pgExampleDir, f)
		if err != nil {
			return err
		}
		for _, o := range docs {
			switch {
			case o.GetName() == "postgres-ca":
				continue // the example's CA placeholder.
			case o.GetKind() == "Secret":
				_ = unstructured.SetNestedStringMap(o.Object, map[string]string{"username": db.User, "password": db.Password}, "stringData")
			case o.GetKind() == "ProviderConfig":
				_ = unstructured.SetNestedField(o.Object, db.Host, "spec", "host")
				_ = unstructured.SetNestedField(o.Object, int64(db.Port), "spec", "port")
				_ = unstructured.SetNestedField(o.Object, db.Name, "spec", "database")
				_ = unstructured.SetNestedMap(o.Object, map[string]any{"mode": db.TLSMode}, "spec", "tls")
			}
			objs = append(objs, o)
		}
	}
	return stack.Apply(ctx, c, objs...)
}
