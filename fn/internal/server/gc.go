package server

import "runtime/debug"

// DefaultGCPercent is the function's garbage collection target (GOGC). A steady-state
// RunFunction allocates about 70 KB and keeps almost nothing, so the live heap is the caches
// and the gRPC server: a few MiB. At Go's default of 100 the collector ran every few calls and
// took about a fifth of the function's CPU; at 400 the heap may grow to five times the live
// heap (tens of MiB) and the benchmark's CPU per call drops by 20–40 %, with little more
// gained above it. Set GOGC (or GOMEMLIMIT) in the environment, or --gc-percent, to choose
// otherwise.
const DefaultGCPercent = 400

// gcPercent returns the GOGC the server sets, and whether it sets one at all: an explicit
// GOGC in the environment is the operator's choice and wins; a negative flag keeps Go's
// default.
func gcPercent(flag int, gogc string, gogcSet bool) (int, bool) {
	if gogcSet && gogc != "" || flag < 0 {
		return 0, false
	}
	return flag, true
}

// setGC applies gcPercent; it returns the GOGC in force when the server set it, or -1.
func setGC(flag int, gogc string, gogcSet bool) int {
	p, ok := gcPercent(flag, gogc, gogcSet)
	if !ok {
		return -1
	}
	debug.SetGCPercent(p)
	return p
}
