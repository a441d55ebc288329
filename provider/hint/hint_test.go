package hint_test

import (
	"context"
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"

	"github.com/rowplane/rowplane/provider/hint"
	"github.com/rowplane/rowplane/provider/source"
)

// script is a prober that answers its steps in turn, then repeats the last one, and counts
// its probes.
type script struct {
	mu    sync.Mutex
	steps []step
	calls int
}

type step struct {
	f   source.Fingerprint
	err error
}

func (s *script) Probe(context.Context, source.Query) (source.Fingerprint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.steps[min(s.calls, len(s.steps)-1)]
	s.calls++
	return st.f, st.err
}

func (s *script) probes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func fp(rows int64, sum string) step { return step{f: source.Fingerprint{Rows: rows, Sum: sum}} }

// TestProbeFires proves a watcher fires once when it starts, once per fingerprint change, never
// for an unchanged table or a failed probe, and that a change made while probes fail fires
// once they answer again.
func TestProbeFires(t *testing.T) {
	t.Parallel()
	down := step{err: errors.New("connection refused")}
	cases := map[string]struct {
		reason string
		steps  []step
		want   int64
	}{
		"Unchanged": {
			reason: "only the start fires when nothing changes",
			steps:  []step{fp(2, "10"), fp(2, "10"), fp(2, "10"), fp(2, "10"), fp(2, "10"), fp(2, "10")},
			want:   1,
		},
		"TwoChanges": {
			reason: "each change fires once",
			steps:  []step{fp(2, "10"), fp(2, "10"), fp(3, "15"), fp(3, "15"), fp(3, "12"), fp(3, "12")},
			want:   3,
		},
		"ChangedWhileDown": {
			reason: "failed probes fire nothing; a change made meanwhile fires when the server is back",
			steps:  []step{fp(2, "10"), down, down, fp(3, "15"), fp(3, "15"), fp(3, "15")},
			want:   2,
		},
		"DownThenSame": {
			reason: "a server that comes back unchanged fires nothing",
			steps:  []step{fp(2, "10"), down, down, fp(2, "10"), fp(2, "10"), fp(2, "10")},
			want:   1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var fired atomic.Int64
			w := hint.New(func(string) { fired.Add(1) }, logging.NewNopLogger())
			t.Cleanup(w.Close)
			p := &script{steps: tc.steps}
			w.Ensure("hub", hint.Spec{Identity: "1", Prober: p, Every: time.Millisecond})
			waitFor(t, func() bool { return p.probes() >= len(tc.steps)+2 })
			w.Close()
			if got := fired.Load(); got != tc.want {
				t.Errorf("%s: fired %d times, want %d", tc.reason, got, tc.want)
			}
		})
	}
}

// TestEnsureRestartsOnNewIdentity proves the same identity keeps the running watcher and a new
// one replaces it, and that Stop stops it.
func TestEnsureRestartsOnNewIdentity(t *testing.T) {
	t.Parallel()
	var fired atomic.Int64
	w := hint.New(func(string) { fired.Add(1) }, logging.NewNopLogger())
	t.Cleanup(w.Close)
	started := make(chan string, 3)
	listen := func(id string) func(ctx context.Context, hinted func(), _ func(error)) error {
		return func(ctx context.Context, hinted func(), _ func(error)) error {
			started <- id
			hinted()
			<-ctx.Done()
			return ctx.Err()
		}
	}
	w.Ensure("hub", hint.Spec{Identity: "a", Listen: listen("a")})
	w.Ensure("hub", hint.Spec{Identity: "a", Listen: listen("a-again")})
	w.Ensure("hub", hint.Spec{Identity: "b", Listen: listen("b")})
	w.Stop("hub")
	got := []string{<-started, <-started}
	sort.Strings(got)
	if got[0] != "a" || got[1] != "b" {
		t.Errorf("started %v, want [a b]: an unchanged identity must keep the running watcher", got)
	}
	select {
	case id := <-started:
		t.Errorf("watcher %s started for an unchanged identity", id)
	default:
	}
}

// TestNotifyFallsBackToProbe proves a listener's connect fires, that the probe stands in only
// while the listener is down, and that a change seen by that probe fires.
func TestNotifyFallsBackToProbe(t *testing.T) {
	t.Parallel()
	var fired atomic.Int64
	w := hint.New(func(string) { fired.Add(1) }, logging.NewNopLogger())
	t.Cleanup(w.Close)
	var dropped, early atomic.Bool
	drop := make(chan struct{})
	p := &script{steps: []step{fp(1, "1"), fp(2, "2"), fp(2, "2")}}
	guarded := proberFunc(func(ctx context.Context, q source.Query) (source.Fingerprint, error) {
		if !dropped.Load() {
			early.Store(true)
		}
		return p.Probe(ctx, q)
	})
	w.Ensure("hub", hint.Spec{Identity: "1", Prober: guarded, Every: time.Millisecond,
		Listen: func(ctx context.Context, hinted func(), lost func(error)) error {
			hinted()
			<-drop
			dropped.Store(true)
			lost(errors.New("connection reset"))
			<-ctx.Done()
			return ctx.Err()
		}})
	waitFor(t, func() bool { return fired.Load() == 1 })
	close(drop)
	waitFor(t, func() bool { return p.probes() >= 5 })
	w.Close()
	if early.Load() {
		t.Errorf("the probe ran while the listener was up")
	}
	if got := fired.Load(); got != 3 {
		t.Errorf("want 3 fires (connect, first fallback probe, changed fingerprint), got %d", got)
	}
}

type proberFunc func(ctx context.Context, q source.Query) (source.Fingerprint, error)

func (f proberFunc) Probe(ctx context.Context, q source.Query) (source.Fingerprint, error) {
	return f(ctx, q)
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}
