// Package loopback finds free ports on 127.0.0.1 and tells whether something listens on one,
// for every helper that starts a local server: tests, the render harness and the demo. Ports
// are chosen at run time so runs never collide with each other, MariaDB or other services.
package loopback

import (
	"fmt"
	"net"
	"time"
)

// FreePort returns a loopback TCP port nobody listens on right now.
func FreePort() (int, error) {
	ports, err := FreePorts(1)
	if err != nil {
		return 0, err
	}
	return ports[0], nil
}

// FreePorts returns n distinct free ports: every listener is held open until all are found, so
// two calls' worth of ports can never be the same port twice.
func FreePorts(n int) ([]int, error) {
	ls := make([]net.Listener, 0, n)
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("cannot find a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Accepts reports whether a TCP connection to addr succeeds within timeout.
func Accepts(addr string, timeout time.Duration) error {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	return c.Close()
}
