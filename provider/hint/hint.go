// Package hint runs a Hub's change hints: one goroutine per Hub that probes its table's
// fingerprint, or listens for PostgreSQL notifications, and asks for a sync of that Hub when the
// table may have changed. A hint only makes a sync come sooner; the sync reads the whole table
// as always, so a lost or failed hint costs latency, never correctness.
package hint

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"

	"github.com/rowplane/rowplane/provider/source"
)

// A Spec is how one Hub learns of changes: by Probe every Every, or by Listen.
type Spec struct {
	// Identity changes whenever anything below does (the connection included), so a changed
	// Hub or ProviderConfig restarts its hints.
	Identity string
	// Prober and Query, with Every, probe the table.
	Prober source.Prober
	Query  source.Query
	Every  time.Duration
	// Listen, when set, is used instead of probing; it calls hinted on every hint (and after
	// every reconnect) and lost on every failure, and returns when ctx is done or it can never
	// work. With a Prober too, the table is probed while the listener is down.
	Listen func(ctx context.Context, hinted func(), lost func(error)) error
}

// Watchers runs the hints of every Hub and calls Fire with the Hub's key when it should sync.
// It is safe for concurrent use; Close stops every goroutine.
type Watchers[K comparable] struct {
	fire func(K)
	log  logging.Logger

	mu      sync.Mutex
	ctx     context.Context
	cancel  context.CancelFunc
	running map[K]watch
}

type watch struct {
	identity string
	cancel   context.CancelFunc
	done     chan struct{}
}

// New returns Watchers that call fire(key) when the Hub of key should sync. fire must not
// block (e.g. a non-blocking send).
func New[K comparable](fire func(K), log logging.Logger) *Watchers[K] {
	ctx, cancel := context.WithCancel(context.Background())
	return &Watchers[K]{fire: fire, log: log, ctx: ctx, cancel: cancel, running: map[K]watch{}}
}

// Ensure makes the hints of key follow s: it starts them, or restarts them when s's identity
// differs from the running one's. The first probe of a started watcher always fires, since the
// table may have changed between the sync that started it and that probe.
func (w *Watchers[K]) Ensure(key K, s Spec) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cur, ok := w.running[key]; ok {
		if cur.identity == s.Identity {
			return
		}
		cur.cancel()
		delete(w.running, key)
	}
	ctx, cancel := context.WithCancel(w.ctx)
	wt := watch{identity: s.Identity, cancel: cancel, done: make(chan struct{})}
	w.running[key] = wt
	log := w.log.WithValues("hub", key)
	go func() {
		defer close(wt.done)
		fire := func() { w.fire(key) }
		lost := func(err error) {
			log.Debug("change hints lost; polling on syncInterval until they are back", "error", err)
		}
		if s.Listen == nil {
			probe(ctx, s, func() bool { return true }, fire, lost)
			return
		}
		listen(ctx, s, fire, lost, func(err error) {
			log.Info("change notifications stopped; probing or polling on syncInterval", "error", err)
		})
	}()
}

// Stop stops the hints of key, if any.
func (w *Watchers[K]) Stop(key K) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cur, ok := w.running[key]; ok {
		cur.cancel()
		delete(w.running, key)
	}
}

// Close stops every watcher and waits for them.
func (w *Watchers[K]) Close() {
	w.mu.Lock()
	w.cancel()
	running := w.running
	w.running = map[K]watch{}
	w.mu.Unlock()
	for _, r := range running {
		<-r.done
	}
}

// listen runs s.Listen and, while it is down, the probe as a fallback. A listener that can never
// work (a bad channel) leaves the probe running for good.
func listen(ctx context.Context, s Spec, fire func(), lost, stopped func(error)) {
	var down atomic.Bool
	var wg sync.WaitGroup
	defer wg.Wait()
	if s.Prober != nil && s.Every > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			probe(ctx, s, down.Load, fire, lost)
		}()
	}
	err := s.Listen(ctx, func() { down.Store(false); fire() }, func(err error) { down.Store(true); lost(err) })
	if err != nil && ctx.Err() == nil {
		down.Store(true)
		stopped(err)
		<-ctx.Done()
	}
}

// probe fingerprints the table every s.Every while active says so, and fires when the
// fingerprint differs from the last one read, or on the first. A failed or skipped probe keeps
// the last fingerprint, so a change made meanwhile fires once the probe answers again.
func probe(ctx context.Context, s Spec, active func() bool, fire func(), lost func(error)) {
	var last *source.Fingerprint
	t := time.NewTicker(s.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !active() {
			continue
		}
		f, err := s.Prober.Probe(ctx, s.Query)
		if err != nil {
			if ctx.Err() == nil {
				lost(err)
			}
			continue
		}
		if last == nil || *last != f {
			fire()
		}
		last = &f
	}
}
