package loopback

import (
	"net"
	"os"
	"strconv"
	"testing"
	"time"
)

func TestFreePortsAndAccepts(t *testing.T) {
	t.Parallel()
	ports, err := FreePorts(3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if seen[p] {
			t.Fatalf("FreePorts(3) returned port %d twice: %v", p, ports)
		}
		seen[p] = true
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))
	if err := Accepts(addr, 200*time.Millisecond); err == nil {
		t.Fatalf("nothing listens on %s yet, Accepts must fail", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := Accepts(addr, time.Second); err != nil {
		t.Errorf("Accepts(%s) with a listener: %v", addr, err)
	}
}

func TestListenedBy(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	if ok, err := ListenedBy(os.Getpid(), port); err != nil || !ok {
		t.Errorf("this process listens on %d: ListenedBy = %t, %v", port, ok, err)
	}
	// pid 1 is never this test, so it does not own our listener.
	if ok, _ := ListenedBy(1, port); ok {
		t.Errorf("process 1 does not own the test's listener on %d", port)
	}
	free, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := ListenedBy(os.Getpid(), free); err != nil || ok {
		t.Errorf("nobody listens on %d: ListenedBy = %t, %v", free, ok, err)
	}
}
