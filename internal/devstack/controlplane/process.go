package controlplane

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/pkg/errors"
)

// stopGrace is how long a process may take to exit after SIGTERM before it is killed.
const stopGrace = 10 * time.Second

// A Process is one child program with its output in a log file. It runs in its own process
// group, so stopping it also stops anything it started, and it dies with the parent
// (PR_SET_PDEATHSIG) should the parent be killed before it can clean up.
type Process struct {
	Name    string
	LogPath string

	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
	err  error
}

// ProcessSpec says what to run.
type ProcessSpec struct {
	Name string
	Path string
	Args []string
	// Env is added to the parent's environment.
	Env []string
	// LogDir receives <Name>.log (appended to across restarts).
	LogDir string
}

// StartProcess starts the program described by s.
func StartProcess(s ProcessSpec) (*Process, error) {
	logPath := filepath.Join(s.LogDir, s.Name+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600) //nolint:gosec // a log path we chose.
	if err != nil {
		return nil, errors.Wrapf(err, "%s: open log", s.Name)
	}
	_, _ = fmt.Fprintf(f, "==== %s %s %v\n", time.Now().Format(time.RFC3339Nano), s.Path, s.Args)
	cmd := exec.Command(s.Path, s.Args...) //nolint:gosec // the tools the caller names.
	cmd.Env = append(os.Environ(), s.Env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		return nil, errors.Wrapf(err, "%s: start %s", s.Name, s.Path)
	}
	p := &Process{Name: s.Name, LogPath: logPath, cmd: cmd, log: f, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = f.Close()
		close(p.done)
	}()
	return p, nil
}

// Pid is the process's id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended, and how.
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Stop sends SIGTERM to the process group, then SIGKILL after a grace period. It is safe to
// call more than once.
func (p *Process) Stop() {
	if ended, _ := p.Exited(); ended {
		return
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopGrace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	// Children that ignored SIGTERM while their leader exited.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// Tail returns the last n bytes of the process's log.
func (p *Process) Tail(n int64) string {
	return tailFile(p.LogPath, n)
}

func tailFile(path string, n int64) string {
	f, err := os.Open(path) //nolint:gosec // our own log.
	if err != nil {
		return ""
	}
	defer f.Close() //nolint:errcheck // read only.
	if fi, err := f.Stat(); err == nil && fi.Size() > n {
		_, _ = f.Seek(fi.Size()-n, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	return string(b)
}

// A Group owns processes and cleanup steps and undoes them in reverse order, once.
type Group struct {
	mu    sync.Mutex
	procs []*Process
	undo  []func()
}

// Add registers a process to stop with the group.
func (g *Group) Add(p *Process) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.procs = append(g.procs, p)
	g.undo = append(g.undo, p.Stop)
}

// Defer registers a cleanup step.
func (g *Group) Defer(f func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.undo = append(g.undo, f)
}

// Processes returns every process ever added.
func (g *Group) Processes() []*Process {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*Process(nil), g.procs...)
}

// Close runs every cleanup step, newest first.
func (g *Group) Close() {
	g.mu.Lock()
	undo := g.undo
	g.undo = nil
	g.mu.Unlock()
	for i := len(undo) - 1; i >= 0; i-- {
		undo[i]()
	}
}

// Logs returns the tail of every process's log, for a failure report.
func (g *Group) Logs(n int64) string {
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, p := range g.Processes() {
		// A restarted process appends to the same log.
		if seen[p.LogPath] {
			continue
		}
		seen[p.LogPath] = true
		fmt.Fprintf(&b, "\n----- %s (%s), last %d bytes -----\n%s", p.Name, p.LogPath, n, p.Tail(n))
	}
	return b.String()
}

// RunCommand runs a short-lived program to completion, with its output in the log directory,
// and returns an error naming the output's tail when it fails.
func RunCommand(ctx context.Context, s ProcessSpec) error {
	cmd := exec.CommandContext(ctx, s.Path, s.Args...) //nolint:gosec // the tools the caller names.
	cmd.Env = append(os.Environ(), s.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	logPath := filepath.Join(s.LogDir, s.Name+".log")
	if f, ferr := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); ferr == nil { //nolint:gosec // our log.
		_, _ = fmt.Fprintf(f, "==== %s %s %v\n%s", time.Now().Format(time.RFC3339Nano), s.Path, s.Args, out)
		_ = f.Close()
	}
	if err != nil {
		if len(out) > 2000 {
			out = out[len(out)-2000:]
		}
		return errors.Wrapf(err, "%s %v: %s", s.Name, s.Args, out)
	}
	return nil
}
