package mysqltest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// A TLSServer is a private mariadbd that requires TLS from its test user, with a certificate
// for 127.0.0.1 and localhost signed by a CA made for the test.
type TLSServer struct {
	Host     string
	Port     int
	User     string
	Password string
	// CAPEM is the test CA; OtherCAPEM is an unrelated CA that must not verify the server.
	CAPEM      []byte
	OtherCAPEM []byte
}

// StartTLSServer starts a mariadbd in a temporary directory and stops it when the test ends.
// Without mariadbd the test is skipped, or fails under CI=true.
func StartTLSServer(t testing.TB) *TLSServer {
	t.Helper()
	mariadbd, err := exec.LookPath("mariadbd")
	if err != nil {
		if mariadbd, err = exec.LookPath("/usr/sbin/mariadbd"); err != nil {
			Unavailable(t, "mariadbd not found: install mariadb-server to run the TLS tests")
		}
	}
	installDB, err := exec.LookPath("mariadb-install-db")
	if err != nil {
		Unavailable(t, "mariadb-install-db not found: install mariadb-server to run the TLS tests")
	}
	dir := t.TempDir()
	ca, caKey := newCA(t, "rowplane test CA")
	other, _ := newCA(t, "unrelated CA")
	cert, key := newServerCert(t, ca, caKey)
	files := map[string][]byte{"ca.pem": pemCert(ca), "server.pem": pemCert(cert), "server-key.pem": key}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "mysqld.sock")
	userArgs := []string{}
	if os.Geteuid() == 0 {
		userArgs = append(userArgs, "--user=root")
	}
	install := exec.Command(installDB, append([]string{"--no-defaults", "--datadir=" + data, "--skip-test-db",
		"--auth-root-authentication-method=socket"}, userArgs...)...)
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	args := append([]string{"--no-defaults", "--datadir=" + data, "--socket=" + sock,
		"--bind-address=127.0.0.1", "--skip-log-bin",
		"--innodb-buffer-pool-size=16M", "--pid-file=" + filepath.Join(dir, "mysqld.pid"),
		"--log-error=" + filepath.Join(dir, "error.log"),
		"--ssl-ca=" + filepath.Join(dir, "ca.pem"), "--ssl-cert=" + filepath.Join(dir, "server.pem"),
		"--ssl-key=" + filepath.Join(dir, "server-key.pem")}, userArgs...)
	port, admin := startOwnPort(t, mariadbd, args, sock, filepath.Join(dir, "error.log"))
	defer admin.Close() //nolint:errcheck // test cleanup.
	s := &TLSServer{Host: "127.0.0.1", Port: port, User: "tls_reader", Password: randomHex(12), CAPEM: pemCert(ca), OtherCAPEM: pemCert(other)}
	for _, q := range []string{
		"CREATE USER '" + s.User + "'@'%' IDENTIFIED BY '" + s.Password + "' REQUIRE SSL",
		"CREATE DATABASE nodes_db",
		"GRANT SELECT ON nodes_db.* TO '" + s.User + "'@'%'",
		"CREATE TABLE nodes_db.nodes (node_id VARCHAR(63) PRIMARY KEY, is_active BOOLEAN)",
		"INSERT INTO nodes_db.nodes VALUES ('acme-corp', TRUE)",
	} {
		if _, err := admin.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return s
}

// startOwnPort starts mariadbd on a free loopback port and returns the port and a root
// connection over its socket once the server answers and the kernel says the port's listener
// is this very process. Another test run may take a port between the probe and the bind; the
// server then exits (or the port is someone else's), and a fresh port is tried.
func startOwnPort(t testing.TB, mariadbd string, args []string, sock, errLog string) (int, *sql.DB) {
	t.Helper()
	const attempts = 5
	for range attempts {
		port, err := loopback.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		srv := exec.Command(mariadbd, append(args, "--port="+strconv.Itoa(port))...) //nolint:gosec // test server.
		if err := srv.Start(); err != nil {
			t.Fatalf("start mariadbd: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = srv.Wait(); close(exited) }()
		admin, ok := waitSocket(t, sock, errLog, exited)
		if ok {
			if owns, err := loopback.ListenedBy(srv.Process.Pid, port); err == nil && owns {
				t.Cleanup(func() { stop(srv, exited) })
				return port, admin
			}
			_ = admin.Close()
		}
		stop(srv, exited)
	}
	log, _ := os.ReadFile(errLog) //nolint:gosec // test log.
	t.Fatalf("mariadbd could not listen on a port of its own in %d attempts\n%s", attempts, log)
	return 0, nil
}

func stop(srv *exec.Cmd, exited <-chan struct{}) {
	_ = srv.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = srv.Process.Kill()
		<-exited
	}
}

// waitSocket connects as root over the server's socket until it answers (true) or the server
// exits (false). A server that neither answers nor exits within two minutes fails the test.
func waitSocket(t testing.TB, sock, errLog string, exited <-chan struct{}) (*sql.DB, bool) {
	t.Helper()
	cfg := mysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "unix", sock
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := db.PingContext(context.Background())
		if err == nil {
			return db, true
		}
		select {
		case <-exited:
			_ = db.Close()
			return nil, false
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(errLog) //nolint:gosec // test log.
			t.Fatalf("mariadbd did not answer on %s: %v\n%s", sock, err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func newCA(t testing.TB, cn string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

func newServerCert(t testing.TB, ca *x509.Certificate, caKey *ecdsa.PrivateKey) (*x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return c, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
