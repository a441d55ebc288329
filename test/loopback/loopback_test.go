package loopback

import (
	"net"
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
