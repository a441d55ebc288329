// Package embeddeddb runs an in-process MySQL-compatible server (go-mysql-server, in memory)
// on a free loopback port, so the demo needs no database installed. It speaks the real MySQL
// wire protocol: provider-rowplane reaches it with go-sql-driver exactly as it reaches MySQL.
package embeddeddb

import (
	"fmt"
	"net"
	"time"

	sqle "github.com/dolthub/go-mysql-server"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/server"
	gmssql "github.com/dolthub/go-mysql-server/sql"
	"github.com/sirupsen/logrus"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// A Server is a running embedded database server with one database and a passwordless root.
type Server struct {
	// Host and Port are where it listens (127.0.0.1 and a free port).
	Host string
	Port int
	// Database is the one database it serves.
	Database string

	srv  *server.Server
	done chan error
}

// Start serves an empty in-memory database named database on a free loopback port.
func Start(database string) (*Server, error) {
	// The server takes a listener we opened on port 0, so the port is ours from the start.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot listen for the embedded database: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port

	// go-mysql-server logs every connection, and warns about file privileges no demo user has, through logrus.
	logrus.SetLevel(logrus.ErrorLevel)
	db := memory.NewDatabase(database)
	db.BaseDatabase.EnablePrimaryKeyIndexes()
	pro := memory.NewDBProvider(db)
	engine := sqle.NewDefault(pro)
	addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(port))
	srv, err := server.NewServer(server.Config{Protocol: "tcp", Address: addr, Listener: l}, engine, gmssql.NewContext, memory.NewSessionBuilder(pro), nil)
	if err != nil {
		_ = l.Close()
		return nil, fmt.Errorf("cannot start the embedded database: %w", err)
	}
	s := &Server{Host: "127.0.0.1", Port: port, Database: database, srv: srv, done: make(chan error, 1)}
	go func() { s.done <- srv.Start() }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if loopback.Accepts(addr, 200*time.Millisecond) == nil {
			return s, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = srv.Close()
	return nil, fmt.Errorf("the embedded database did not listen on %s", addr)
}

// DSN is a go-sql-driver data source name for root on the served database.
func (s *Server) DSN() string {
	return fmt.Sprintf("root@tcp(%s)/%s?parseTime=true", net.JoinHostPort(s.Host, fmt.Sprint(s.Port)), s.Database)
}

// Close stops the server.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}
