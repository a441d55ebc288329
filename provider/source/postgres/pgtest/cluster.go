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
)

// A cluster is a fresh initdb data directory in a test's temporary directory, owned by the
// user the server runs as.
type cluster struct {
	bin  string
	cred *syscall.Credential
	// dir holds data, the data directory, and sock, the directory of the server's socket.
	dir, data, sock string
}

// initCluster runs initdb with trust authentication for the superuser postgres. initdb refuses
// to run as root, so as root the server runs as the postgres user. Without the binaries or that
// user the test is skipped, or fails under CI=true.
func initCluster(t testing.TB) cluster {
	t.Helper()
	c := cluster{bin: binDir(t), cred: serverUser(t), dir: t.TempDir()}
	if c.cred != nil {
		// The server user must reach its files; the directory above is this test's own.
		for _, d := range []string{filepath.Dir(c.dir), c.dir} {
			if err := os.Chmod(d, 0o711); err != nil {
				t.Fatal(err)
			}
		}
	}
	c.data, c.sock = filepath.Join(c.dir, "data"), filepath.Join(c.dir, "sock")
	mkdirOwned(t, c.cred, c.sock)
	mkdirOwned(t, c.cred, c.data)
	initdb := exec.Command(filepath.Join(c.bin, "initdb"), "-D", c.data, "-U", "postgres", "-A", "trust", //nolint:gosec // test server.
		"--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	return c
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
	Unavailable(t, "initdb not found: install postgresql to run the tests on a private server")
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
// the server then exits (or the port is someone else's), and a fresh port is tried. The caller
// stops the process.
func startOwnPort(t testing.TB, postgres string, args []string, cred *syscall.Credential, sock, logPath string) (int, *pgx.Conn, *process) {
	t.Helper()
	const attempts = 5
	for range attempts {
		port, err := loopback.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		if p, admin := startOn(t, postgres, args, cred, sock, logPath, port, true); p != nil {
			return port, admin, p
		}
	}
	log, _ := os.ReadFile(logPath) //nolint:gosec // test log.
	t.Fatalf("postgres could not listen on a port of its own in %d attempts\n%s", attempts, log)
	return 0, nil, nil
}

// A process is a running postgres.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// startOn starts postgres on port and returns it with an admin connection over its socket, or
// nil when it exited or, with owned, when the port's listener is not this very process.
func startOn(t testing.TB, postgres string, args []string, cred *syscall.Credential, sock, logPath string, port int, owned bool) (*process, *pgx.Conn) {
	t.Helper()
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600) //nolint:gosec // test log.
	if err != nil {
		t.Fatal(err)
	}
	srv := exec.Command(postgres, append(args, "-p", strconv.Itoa(port))...) //nolint:gosec // test server.
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	p := &process{cmd: srv, exited: make(chan struct{})}
	go func() { _ = srv.Wait(); _ = logFile.Close(); close(p.exited) }()
	admin, ok := waitSocket(t, sock, port, logPath, p.exited)
	if ok {
		if !owned {
			return p, admin
		}
		if owns, err := loopback.ListenedBy(srv.Process.Pid, port); err == nil && owns {
			return p, admin
		}
		_ = admin.Close(context.Background())
	}
	p.stop()
	return nil, nil
}

// stop asks for a fast shutdown, which ends sessions and exits at once, and waits for it. It
// may be called again after the process exited.
func (p *process) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
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
