// Package loopback finds free ports on 127.0.0.1 and tells whether something listens on one,
// for every helper that starts a local server: tests, the render harness and the demo. Ports
// are chosen at run time so runs never collide with each other, MariaDB or other services.
package loopback

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
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

// ListenedBy reports whether process pid holds the listening TCP socket on 127.0.0.1:port.
//
// A port found free by FreePort is bound later by the server a helper starts, so another run
// on the same machine can take it in between; the server then fails to bind while a client
// that only dials the port talks to the other run's server. Asking the kernel which process
// owns the listener closes that gap. On systems without /proc it reports true.
func ListenedBy(pid, port int) (bool, error) {
	inodes, err := listeningInodes(port)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return true, nil
		}
		return false, err
	}
	if len(inodes) == 0 {
		return false, nil
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return false, fmt.Errorf("cannot read the sockets of process %d: %w", pid, err)
	}
	for _, fd := range fds {
		target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err != nil {
			continue // closed while we looked
		}
		if inodes[target] {
			return true, nil
		}
	}
	return false, nil
}

// listeningInodes returns the socket:[inode] names of the TCP listeners on 127.0.0.1:port and
// on the wildcard address.
func listeningInodes(port int) (map[string]bool, error) {
	const listen = "0A"
	out := map[string]bool{}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(table)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && table == "/proc/net/tcp6" {
				continue
			}
			return nil, err
		}
		suffix := fmt.Sprintf(":%04X", port)
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			if len(f) < 10 || f[3] != listen || !strings.HasSuffix(f[1], suffix) {
				continue
			}
			out["socket:["+f[9]+"]"] = true
		}
	}
	return out, nil
}
