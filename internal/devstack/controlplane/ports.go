package controlplane

import (
	"context"
	"net"
	"strconv"
	"time"

	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// portAttempts is how many sets of fresh ports a process gets before starting it fails.
const portAttempts = 5

// StartFunc starts a process on the given loopback ports. It returns the process and a probe
// that returns nil once the process serves; a nil probe means listening is enough.
type StartFunc func(ports []int) (*Process, func() error, error)

// StartOnOwnPorts starts a process on n free loopback ports and returns it with its ports once
// it serves on every one of them itself. A port loopback.FreePorts found free can be bound by
// another run before this process binds it: then the process exits, or a client reaches the
// other run's server. So the kernel must name this process as the owner of each port's
// listener (loopback.ListenedBy); when it does not, or the process exited, the process is
// stopped and started again on fresh ports. timeout bounds the wait of each attempt.
func StartOnOwnPorts(ctx context.Context, n int, timeout time.Duration, start StartFunc) (*Process, []int, error) {
	var last error
	for range portAttempts {
		ports, err := loopback.FreePorts(n)
		if err != nil {
			return nil, nil, err
		}
		p, ready, err := start(ports)
		if err != nil {
			return nil, nil, err
		}
		lost, err := awaitOwnPorts(ctx, timeout, p, ports, ready)
		if err != nil {
			p.Stop()
			return nil, nil, err
		}
		if lost == nil {
			return p, ports, nil
		}
		p.Stop()
		last = lost
	}
	return nil, nil, errors.Wrapf(last, "no ports of its own in %d attempts", portAttempts)
}

// WaitOwnPorts waits until p serves (ready, when not nil) and owns the listener of every port,
// for a process restarted on ports it must keep. It fails at once when p exits or another
// process holds one of the ports.
func WaitOwnPorts(ctx context.Context, timeout time.Duration, p *Process, ports []int, ready func() error) error {
	lost, err := awaitOwnPorts(ctx, timeout, p, ports, ready)
	if lost != nil {
		return lost
	}
	return err
}

// awaitOwnPorts waits until p serves and owns every port. lost is set when p exited or another
// process listens on one of the ports, which is what losing the race for a port looks like;
// err when the wait timed out.
func awaitOwnPorts(ctx context.Context, timeout time.Duration, p *Process, ports []int, ready func() error) (lost, err error) {
	err = Eventually(ctx, timeout, 100*time.Millisecond, func() error {
		if ended, err := p.Exited(); ended {
			lost = errors.Errorf("%s exited: %v\n%s", p.Name, err, p.Tail(2000))
			return nil
		}
		if ready != nil {
			if err := ready(); err != nil {
				return err
			}
		}
		for _, port := range ports {
			addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
			// Not accepting yet: this process may bind the port a moment after another.
			if err := loopback.Accepts(addr, time.Second); err != nil {
				return errors.Wrapf(err, "%s: wait for %s", p.Name, addr)
			}
			own, err := loopback.ListenedBy(p.Pid(), port)
			if err != nil {
				return err
			}
			if !own {
				lost = errors.Errorf("%s: another process listens on %s", p.Name, addr)
				return nil
			}
		}
		return nil
	})
	if lost != nil {
		return lost, nil
	}
	return nil, errors.Wrapf(err, "%s: wait until it serves on ports %v", p.Name, ports)
}
