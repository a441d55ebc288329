package controlplane

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// helperEnv makes the test binary a child process: "listen:<port>" listens on the port (and
// exits when it cannot), "idle" listens nowhere. Either way it runs until it is stopped.
const helperEnv = "ROWPLANE_PORTS_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		if port, ok := strings.CutPrefix(mode, "listen:"); ok {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
			if err != nil {
				os.Exit(3)
			}
			defer l.Close() //nolint:errcheck // held until killed.
		}
		time.Sleep(time.Hour)
		return
	}
	os.Exit(m.Run())
}

// child starts the test binary in the given helper mode.
func child(t *testing.T, mode string) *Process {
	t.Helper()
	p, err := StartProcess(ProcessSpec{Name: "child", Path: os.Args[0], LogDir: t.TempDir(), Env: []string{helperEnv + "=" + mode}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}

// takePort listens on port as another run would, until the test ends. When the port is in use
// already, someone else took it first, which serves as well.
func takePort(t *testing.T, port int) {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
}

// TestStartOnOwnPorts proves a process that lost its port to another listener is started again
// on fresh ports, whether the loss makes it exit or it keeps running without the port.
func TestStartOnOwnPorts(t *testing.T) {
	cases := map[string]struct {
		reason string
		// lose is the first attempt's child mode, given the port another process holds.
		lose func(port int) string
		// ready is the first child's probe.
		ready func() error
		// firstEnd is how the first child ended: by itself, or stopped for want of its port.
		firstEnd string
	}{
		"ExitsOnBindError": {reason: "a server that cannot bind exits", firstEnd: "exit status 3",
			lose: func(port int) string { return "listen:" + strconv.Itoa(port) },
			// Never ready, so only its exit ends the attempt, not the ownership check.
			ready: func() error { return errors.New("not serving") }},
		"KeepsRunning": {reason: "a server may run on while a client reaches the other listener", firstEnd: "signal: terminated",
			lose: func(int) string { return "idle" }},
	}
	for name, tc := range cases {
		// One after the other: each case's fresh ports must not be the other's.
		t.Run(name, func(t *testing.T) {
			var tried [][]int
			var first *Process
			p, ports, err := StartOnOwnPorts(context.Background(), 1, 30*time.Second, func(ports []int) (*Process, func() error, error) {
				tried = append(tried, ports)
				if len(tried) == 1 {
					takePort(t, ports[0])
					first = child(t, tc.lose(ports[0]))
					return first, tc.ready, nil
				}
				return child(t, "listen:"+strconv.Itoa(ports[0])), nil, nil
			})
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			if len(tried) != 2 {
				t.Fatalf("%s: %d attempts (%v), want 2", tc.reason, len(tried), tried)
			}
			if _, end := first.Exited(); end == nil || end.Error() != tc.firstEnd {
				t.Errorf("%s: the first child ended with %v, want %s", tc.reason, end, tc.firstEnd)
			}
			if ports[0] != tried[1][0] {
				t.Errorf("%s: returned port %d, want the second attempt's %d", tc.reason, ports[0], tried[1][0])
			}
			if own, err := loopback.ListenedBy(p.Pid(), ports[0]); err != nil || !own {
				t.Errorf("%s: the returned process does not own port %d (%v)", tc.reason, ports[0], err)
			}
		})
	}
}

// TestWaitOwnPortsFailsOnATakenPort proves a process restarted on a port it must keep fails
// at once, naming the port, when another process listens there.
// Not parallel to TestStartOnOwnPorts: the two must not draw the same free port.
func TestWaitOwnPortsFailsOnATakenPort(t *testing.T) {
	port, err := loopback.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	takePort(t, port)
	p := child(t, "idle")
	err = WaitOwnPorts(context.Background(), 30*time.Second, p, []int{port}, nil)
	if err == nil || !strings.Contains(err.Error(), "another process listens on 127.0.0.1:"+strconv.Itoa(port)) {
		t.Fatalf("WaitOwnPorts on a taken port: %v", err)
	}
}
