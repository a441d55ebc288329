// Package crossplanerender runs the examples through the real crossplane CLI: it builds and starts
// function-rowplane on a free loopback port and calls `crossplane render` for every render
// case of an example. The golden tests and `make render` share it.
package crossplanerender

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/rowplane/rowplane/internal/devstack/loopback"
)

// FixedTime is the clock of every golden render, so templates using now render the same.
const FixedTime = "2026-01-01T00:00:00Z"

// A Case is one render of an example: the example's XR, Composition and functions, unless
// the case folder overrides them, plus the case's observed resources.
type Case struct {
	// Name is the case folder's name, e.g. 01-nothing-observed.
	Name string
	// Dir is the case folder.
	Dir         string
	XR          string
	Composition string
	Functions   string
	// Observed is observed.yaml in the case folder, or "" when nothing is observed.
	Observed string
	// Golden is expected.yaml in the case folder.
	Golden string
}

// Cases lists the render cases of an example folder (the folders under render/), in name order.
func Cases(example string) ([]Case, error) {
	entries, err := os.ReadDir(filepath.Join(example, "render"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot list render cases of %s: %w", example, err)
	}
	var cases []Case
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(example, "render", e.Name())
		c := Case{
			Name:        e.Name(),
			Dir:         dir,
			XR:          pick(dir, example, "xr.yaml"),
			Composition: pick(dir, example, "composition.yaml"),
			Functions:   pick(dir, example, "functions.yaml"),
			Golden:      filepath.Join(dir, "expected.yaml"),
		}
		if exists(filepath.Join(dir, "observed.yaml")) {
			c.Observed = filepath.Join(dir, "observed.yaml")
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases, nil
}

func pick(dir, example, name string) string {
	if p := filepath.Join(dir, name); exists(p) {
		return p
	}
	return filepath.Join(example, name)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Render runs `crossplane render` for c against a function listening at addr and returns
// its output (results included).
func Render(ctx context.Context, crossplane, addr string, c Case) ([]byte, error) {
	args := []string{"render", c.XR, c.Composition, c.Functions,
		"--include-function-results",
		"--function-annotations=render.crossplane.io/runtime=Development",
		"--function-annotations=render.crossplane.io/runtime-development-target=" + addr,
		"--timeout=30s"}
	if c.Observed != "" {
		args = append(args, "--observed-resources="+c.Observed)
	}
	cmd := exec.CommandContext(ctx, crossplane, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("crossplane %v: %w\n%s", args, err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// BuildFunction compiles function-rowplane from the module at root into dir.
func BuildFunction(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "function-rowplane")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./fn/internal/devserve")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./fn/internal/devserve: %w\n%s", err, out)
	}
	return bin, nil
}

// A Function is a running function-rowplane process.
type Function struct {
	// Addr is where it listens, host:port.
	Addr string
	cmd  *exec.Cmd
	done chan error
	log  *bytes.Buffer
}

// StartFunction starts bin in insecure mode with the fixed clock on free loopback ports and
// waits until it accepts connections on a port the kernel says is its own: a port found free
// can be taken by another run before the function binds it, and then the function exits or,
// worse, a dial reaches the other run's server. Such a start is retried on fresh ports.
func StartFunction(ctx context.Context, bin string) (*Function, error) {
	const attempts = 5
	var last error
	for range attempts {
		f, err := startFunction(ctx, bin)
		if err == nil {
			return f, nil
		}
		last = err
	}
	return nil, fmt.Errorf("function-rowplane could not listen on a port of its own in %d attempts: %w", attempts, last)
}

func startFunction(ctx context.Context, bin string) (*Function, error) {
	ports, err := loopback.FreePorts(2)
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))
	f := &Function{Addr: addr, done: make(chan error, 1), log: &bytes.Buffer{}}
	f.cmd = exec.CommandContext(ctx, bin, "serve", "--insecure", "--address="+addr,
		"--metrics-address="+net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[1])),
		"--fixed-time="+FixedTime)
	f.cmd.Stdout, f.cmd.Stderr = f.log, f.log
	if err := f.cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start %s: %w", bin, err)
	}
	go func() { f.done <- f.cmd.Wait() }()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-f.done:
			f.done <- err
			return nil, fmt.Errorf("function exited early: %v\n%s", err, f.log.String())
		default:
		}
		if loopback.Accepts(addr, 200*time.Millisecond) == nil {
			if ok, err := loopback.ListenedBy(f.cmd.Process.Pid, ports[0]); err == nil && ok {
				return f, nil
			}
			f.Stop()
			return nil, fmt.Errorf("another process listens on %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.Stop()
	return nil, fmt.Errorf("function did not listen on %s within a minute\n%s", addr, f.log.String())
}

// Stop ends the function process and waits for it.
func (f *Function) Stop() {
	if f.cmd.Process != nil {
		_ = f.cmd.Process.Kill()
	}
	<-f.done
}

// Log returns what the function printed.
func (f *Function) Log() string { return f.log.String() }
