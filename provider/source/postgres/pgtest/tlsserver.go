package pgtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rowplane/rowplane/provider/source/tlsmode/tlsmodetest"
)

// A TLSServer is a private PostgreSQL that accepts TCP connections over TLS only, with a
// certificate for 127.0.0.1 and localhost signed by a CA made for the test. Its database
// postgres holds a table nodes with one row ('acme-corp', true).
type TLSServer struct {
	Host     string
	Port     int
	User     string
	Database string
	// CAPEM is the test CA; OtherCAPEM is an unrelated CA that must not verify the server.
	CAPEM      []byte
	OtherCAPEM []byte
}

// StartTLSServer runs initdb and postgres in a temporary directory and stops the server when
// the test ends. initdb refuses to run as root, so as root the server runs as the postgres
// user. Without the binaries or that user the test is skipped, or fails under CI=true.
func StartTLSServer(t testing.TB) *TLSServer {
	t.Helper()
	d := initCluster(t)
	bin, cred, dir, data, sock := d.bin, d.cred, d.dir, d.data, d.sock
	ca := tlsmodetest.NewCA(t, "rowplane test CA")
	certPEM, keyPEM := ca.ServerCert(t)
	writeOwned(t, cred, filepath.Join(data, "server.crt"), certPEM)
	writeOwned(t, cred, filepath.Join(data, "server.key"), keyPEM)
	// TCP only over TLS: a plain-text client finds no matching line and is refused.
	writeOwned(t, cred, filepath.Join(data, "pg_hba.conf"), []byte("local all all trust\nhostssl all all 127.0.0.1/32 trust\n"))
	args := []string{"-D", data, "-k", sock, "-c", "listen_addresses=127.0.0.1", "-c", "ssl=on",
		"-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key", "-c", "fsync=off",
		"-c", "shared_buffers=16MB", "-c", "max_connections=20"}
	port, admin, p := startOwnPort(t, filepath.Join(bin, "postgres"), args, cred, sock, filepath.Join(dir, "server.log"))
	t.Cleanup(p.stop)
	defer admin.Close(context.Background()) //nolint:errcheck // test cleanup.
	if _, err := admin.Exec(context.Background(), `CREATE TABLE nodes (node_id text PRIMARY KEY, is_active boolean);
		INSERT INTO nodes VALUES ('acme-corp', true)`); err != nil {
		t.Fatal(err)
	}
	other := tlsmodetest.NewCA(t, "unrelated CA")
	return &TLSServer{Host: "127.0.0.1", Port: port, User: "postgres", Database: "postgres", CAPEM: ca.PEM(), OtherCAPEM: other.PEM()}
}
