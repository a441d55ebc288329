package hubsync_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scaleRows is how many rows the scale benchmark uses: ROWPLANE_SCALE_ROWS, default 10,000.
func scaleRows(b *testing.B) int {
	n := 10000
	if v := os.Getenv("ROWPLANE_SCALE_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("ROWPLANE_SCALE_ROWS: %v", err)
		}
	}
	return n
}

// heapPeak samples the Go heap in use every 10ms until stopped and returns the peak.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
	}
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 { close(done); sample(); return peak.Load() }
}

// BenchmarkHubSync10k syncs a table of 10,000 rows: the first sync creates every claim, then
// each iteration is a steady-state sync that must make zero claim writes.
//
//	make bench   (or: go test -run '^$' -bench HubSync -benchtime 3x ./provider/hubsync)
func BenchmarkHubSync10k(b *testing.B) {
	n := scaleRows(b)
	h := newHarness(b)
	h.db.Exec(b, seedTable)
	const batch = 1000
	for i := 0; i < n; i += batch {
		vals := make([]string, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			vals = append(vals, fmt.Sprintf("('tenant-%05d', TRUE, 'db.t3.micro', %d, %t, 'basic')", j, 20+j%100, j%2 == 0))
		}
		h.db.Exec(b, "INSERT INTO nodes VALUES "+strings.Join(vals, ", "))
	}
	h.createHub(nil)

	runtime.GC()
	stop := heapPeak()
	start := time.Now()
	first := h.sync()
	firstTook := time.Since(start)
	firstPeak := stop()
	if first != int64(n) {
		b.Fatalf("first sync: want %d claim writes, got %d", n, first)
	}

	runtime.GC()
	stop = heapPeak()
	var steadyWrites int64
	b.ResetTimer()
	for b.Loop() {
		steadyWrites += h.sync()
	}
	b.StopTimer()
	steadyPeak := stop()
	if steadyWrites != 0 {
		b.Errorf("steady state: want 0 claim writes, got %d", steadyWrites)
	}
	st := h.getHub().Status
	b.ReportMetric(firstTook.Seconds(), "first-sync-s")
	b.ReportMetric(float64(firstPeak)/(1<<20), "first-peak-heap-MiB")
	b.ReportMetric(float64(steadyPeak)/(1<<20), "steady-peak-heap-MiB")
	b.ReportMetric(float64(steadyWrites)/float64(b.N), "claim-writes/op")
	b.Logf("%d rows: first sync %s (%d claim writes, peak heap %.1f MiB); steady-state sync %s/op, %d claim writes, peak heap %.1f MiB; status desired=%d activeRows=%d lastSyncDuration=%s",
		n, firstTook.Round(time.Millisecond), first, float64(firstPeak)/(1<<20), b.Elapsed()/time.Duration(b.N),
		steadyWrites, float64(steadyPeak)/(1<<20), st.Desired, st.ActiveRows, st.LastSyncDuration.Duration.Round(time.Millisecond))
}
