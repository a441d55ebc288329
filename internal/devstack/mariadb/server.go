// Package mariadb runs a private MariaDB server for end-to-end runs: its own data directory,
// socket and free port, so a suite can stop and restart it without touching the shared test
// server on 3306.
package mariadb

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
)

// ErrNotInstalled says mariadbd or mariadb-install-db is missing.
var ErrNotInstalled = errors.New("mariadbd and mariadb-install-db are needed (apt-get install mariadb-server)")

// A Server is a private mariadbd listening on 127.0.0.1:Port.
type Server struct {
	Host string
	Port int

	mariadbd string
	dir      string
	logDir   string
	proc     *controlplane.Process
	admin    *sql.DB
	track    func(*controlplane.Process)
}

// Start initializes a data directory under dir and starts the server. track receives every
// server process started, so the caller's cleanup stops it.
func Start(ctx context.Context, dir, logDir string, track func(*controlplane.Process)) (*Server, error) {
	mariadbd, err := lookPath("mariadbd", "/usr/sbin/mariadbd")
	if err != nil {
		return nil, ErrNotInstalled
	}
	installDB, err := lookPath("mariadb-install-db", "/usr/bin/mariadb-install-db")
	if err != nil {
		return nil, ErrNotInstalled
	}
	s := &Server{Host: "127.0.0.1", mariadbd: mariadbd, dir: dir, logDir: logDir, track: track}
	err = controlplane.RunCommand(ctx, controlplane.ProcessSpec{Name: "mariadb-install-db", Path: installDB, LogDir: logDir,
		Args: append([]string{"--no-defaults", "--datadir=" + s.data(), "--skip-test-db",
			"--auth-root-authentication-method=socket"}, userArgs()...)})
	if err != nil {
		return nil, err
	}
	_, ports, err := controlplane.StartOnOwnPorts(ctx, 1, time.Minute, func(ports []int) (*controlplane.Process, func() error, error) {
		s.Port = ports[0]
		p, err := s.start()
		return p, nil, err
	})
	if err != nil {
		return nil, err
	}
	s.Port = ports[0]
	cfg := mysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "unix", s.socket()
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, errors.Wrap(err, "admin connector")
	}
	s.admin = sql.OpenDB(conn)
	return s, nil
}

// Admin is a root connection over the server's socket. It reconnects after a restart.
func (s *Server) Admin() *sql.DB { return s.admin }

// Stop shuts the server down; Restart brings it back with the same data and port.
func (s *Server) Stop() {
	if s.proc != nil {
		s.proc.Stop()
	}
}

// Restart starts the server again on its port and waits until it answers there. It fails when
// another process took the port meanwhile: clients know the server by its port.
func (s *Server) Restart(ctx context.Context) error {
	p, err := s.start()
	if err != nil {
		return err
	}
	return controlplane.WaitOwnPorts(ctx, time.Minute, p, []int{s.Port}, nil)
}

// start starts mariadbd on s.Port.
func (s *Server) start() (*controlplane.Process, error) {
	p, err := controlplane.StartProcess(controlplane.ProcessSpec{Name: "mariadbd", Path: s.mariadbd, LogDir: s.logDir,
		Args: append([]string{"--no-defaults", "--datadir=" + s.data(), "--socket=" + s.socket(),
			"--port=" + strconv.Itoa(s.Port), "--bind-address=127.0.0.1", "--skip-log-bin", "--skip-name-resolve",
			"--innodb-buffer-pool-size=16M", "--pid-file=" + filepath.Join(s.dir, "mariadbd.pid")}, userArgs()...)})
	if err != nil {
		return nil, err
	}
	s.proc = p
	if s.track != nil {
		s.track(p)
	}
	return p, nil
}

func (s *Server) data() string   { return filepath.Join(s.dir, "data") }
func (s *Server) socket() string { return filepath.Join(s.dir, "mariadbd.sock") }

// userArgs lets mariadbd run as root, which it refuses otherwise.
func userArgs() []string {
	if os.Geteuid() == 0 {
		return []string{"--user=root"}
	}
	return nil
}

func lookPath(name, fallback string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return exec.LookPath(fallback)
}
