package embeddeddb

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"

	"github.com/rowplane/rowplane/provider/source/mysql"
)

// TestProviderReadsEmbeddedDatabase proves the embedded server is good enough for the demo:
// provider-rowplane's own reader (type discovery through information_schema included) reads
// the nodes table with typed values, NULLs absent.
func TestProviderReadsEmbeddedDatabase(t *testing.T) {
	t.Parallel()
	s, err := Start("nodes_db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	admin, err := sql.Open("mysql", s.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema, err := os.ReadFile("../../../examples/database-per-node/hub/nodes.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(schema),
		"INSERT INTO nodes (node_id, is_active, db_instance_class, db_storage_gb, db_multi_az, plan_type) VALUES ('acme-corp', TRUE, 'db.t3.small', 50, TRUE, 'pro')",
		"INSERT INTO nodes (node_id, is_active, plan_type) VALUES ('globex', FALSE, NULL)",
	} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	pool := mysql.NewPool()
	defer pool.Close()
	db, err := pool.DB("demo", mysql.Connection{Host: s.Host, Port: s.Port, Database: s.Database, User: "root", TLS: mysql.TLS{Mode: "disabled"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := mysql.Read(context.Background(), db, mysql.Query{Table: "nodes", Columns: []string{"node_id", "is_active", "db_instance_class", "db_storage_gb", "db_multi_az", "plan_type"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []mysql.Row{
		{"node_id": "acme-corp", "is_active": true, "db_instance_class": "db.t3.small", "db_storage_gb": int64(50), "db_multi_az": true, "plan_type": "pro"},
		{"node_id": "globex", "is_active": false, "db_instance_class": "db.t3.micro", "db_storage_gb": int64(20), "db_multi_az": false, "plan_type": nil},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("the provider reads typed rows from the embedded server (BOOLEAN as bool, INT as int64, NULL as nil): -want, +got:\n%s", diff)
	}
}
