package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
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
	bin := binDir(t)
	cred := serverUser(t)
	dir := t.TempDir()
	if cred != nil {
		// The server user must reach its files; the directory above is this test's own.
		for _, d := range []string{filepath.Dir(dir), dir} {
			if err := os.Chmod(d, 0o711); err != nil {
				t.Fatal(err)
			}
		}
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	mkdirOwned(t, cred, sock)
	mkdirOwned(t, cred, data)
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", //nolint:gosec // test server.
		"--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	ca := tlsmodetest.NewCA(t, "rowplane test CA")
	certPEM, keyPEM := ca.ServerCert(t)
	writeOwned(t, cred, filepath.Join(data, "server.crt"), certPEM)
	writeOwned(t, cred, filepath.Join(data, "server.key"), keyPEM)
	// TCP only over TLS: a plain-text client finds no matching line and is refused.
	writeOwned(t, cred, filepath.Join(data, "pg_hba.conf"), []byte("local all all trust\nhostssl all all 127.0.0.1/32 trust\n"))
	args := []string{"-D", data, "-k", sock, "-c", "listen_addresses=127.0.0.1", "-c", "ssl=on",
		"-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key", "-c", "fsync=off",
		"-c", "shared_buffers=16MB", "-c", "max_connections=20"}
	port, admin := startOwnPort(t, filepath.Join(bin, "postgres"), args, cred, sock, filepath.Join(dir, "server.log"))
	defer admin.Close(context.Background()) //nolint:errcheck // test cleanup.
	if _, err := admin.Exec(context.Background(), `CREATE TABLE nodes (node_id text PRIMARY KEY, is_active boolean);
		INSERT INTO nodes VALUES ('acme-corp', true)`); err != nil {
		t.Fatal(err)
	}
	other := tlsmodetest.NewCA(t, "unrelated CA")
	return &TLSServer{Host: "127.0.0.1", Port: port, User: "postgres", Database: "postgres", CAPEM: ca.PEM(), OtherCAPEM: other.PEM()}
}

// binDir finds initdb and postgres: on PATH, else in the newest /usr/lib/postgresql/*/bin.
func binDir(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	Unavailable(t, "initdb not found: install postgresql to run the TLS tests")
	return ""
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// serverUser is nil when the test may run the server itself, else the postgres user's
// credential, since initdb and postgres refuse to run as root.
func serverUser(t testing.TB) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		Unavailable(t, "running as root, and initdb refuses root: no postgres user to run it as (%v)", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

func mkdirOwned(t testing.TB, cred *syscall.Credential, dir string) {
	t.Helper()
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	chown(t, cred, dir)
}

func writeOwned(t testing.TB, cred *syscall.Credential, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	chown(t, cred, path)
}

func chown(t testing.TB, cred *syscall.Credential, path string) {
	t.Helper()
	if cred != nil {
		if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
}

// startOwnPort starts postgres on a free loopback port and returns the port and an admin
// connection over its socket once the server answers and the kernel says the port's listener
// is this very process. Another test run may take the port between the probe and the bind;
// the server then exits (or the port is someone else's), and a fresh port is tried.
func startOwnPort(t testing.TB, postgres string, args []string, cred *syscall.Credential, sock, logPath string) (int, *pgx.Conn) {
	t.Helper()
	const attempts = 5
	for range attempts {
		port, err := loopback.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		logFile, err := os.Create(logPath) //nolint:gosec // test log.
		if err != nil {
			t.Fatal(err)
		}
		srv := exec.Command(postgres, append(args, "-p", strconv.Itoa(port))...) //nolint:gosec // test server.
		srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		srv.Stdout, srv.Stderr = logFile, logFile
		if err := srv.Start(); err != nil {
			t.Fatalf("start postgres: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = srv.Wait(); _ = logFile.Close(); close(exited) }()
		admin, ok := waitSocket(t, sock, port, logPath, exited)
		if ok {
			if owns, err := loopback.ListenedBy(srv.Process.Pid, port); err == nil && owns {
				t.Cleanup(func() { stop(srv, exited) })
				return port, admin
			}
			_ = admin.Close(context.Background())
		}
		stop(srv, exited)
	}
	log, _ := os.ReadFile(logPath) //nolint:gosec // test log.
	t.Fatalf("postgres could not listen on a port of its own in %d attempts\n%s", attempts, log)
	return 0, nil
}

// stop asks for a fast shutdown, which ends sessions and exits at once.
func stop(srv *exec.Cmd, exited <-chan struct{}) {
	_ = srv.Process.Signal(syscall.SIGINT)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = srv.Process.Kill()
		<-exited
	}
}

// waitSocket connects as postgres over the server's socket until it answers (true) or the
// server exits (false). A server that neither answers nor exits within two minutes fails the
// test.
func waitSocket(t testing.TB, sock string, port int, logPath string, exited <-chan struct{}) (*pgx.Conn, bool) {
	t.Helper()
	cfg, err := pgx.ParseConfig(fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres sslmode=disable", sock, port))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.ConnectConfig(ctx, cfg)
		cancel()
		if err == nil {
			return conn, true
		}
		select {
		case <-exited:
			return nil, false
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath) //nolint:gosec // test log.
			t.Fatalf("postgres did not answer on %s: %v\n%s", sock, err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
