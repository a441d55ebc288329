package main

import (
	"fmt"
	"strings"
	"time"
)

// timings are the latencies the steps measured, in order.
type timings struct {
	rows []timing
}

type timing struct {
	what string
	took time.Duration
}

func (ts *timings) add(what string, took time.Duration) {
	ts.rows = append(ts.rows, timing{what: what, took: took})
}

// render lays the latencies out as a table.
func (ts *timings) render() string {
	width := len("measured latency")
	for _, r := range ts.rows {
		width = max(width, len([]rune(r.what)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  %-*s  %7s\n", width, "measured latency", "seconds")
	for _, r := range ts.rows {
		pad := width - len([]rune(r.what)) // %-*s pads by bytes; the labels have arrows.
		fmt.Fprintf(&b, "  %s%s  %7.1f\n", r.what, strings.Repeat(" ", pad), r.took.Seconds())
	}
	return b.String()
}
