package template

import (
	"fmt"
	"strings"
	"time"
)

// Limits a render can hit, in Error.Limit.
const (
	LimitTime       = "time"
	LimitOutput     = "output"
	LimitAlloc      = "alloc"
	LimitIterations = "iterations"
)

// A Budget bounds the time, output, built values and loop iterations of every template rendered
// under it, typically all the templates of one resource. It is used by one render at a time.
type Budget struct {
	deadline time.Time
	timeout  time.Duration

	outLeft, outLimit     int
	allocLeft, allocLimit int64
	iterLeft, iterLimit   int
}

// NewBudget returns a fresh budget with the engine's limits.
func (e *Engine) NewBudget() *Budget {
	return &Budget{
		deadline:   time.Now().Add(e.opts.MaxRenderTime),
		timeout:    e.opts.MaxRenderTime,
		outLeft:    e.opts.MaxOutputBytes,
		outLimit:   e.opts.MaxOutputBytes,
		allocLeft:  int64(e.opts.MaxAllocBytes),
		allocLimit: int64(e.opts.MaxAllocBytes),
		iterLeft:   e.opts.MaxIterations,
		iterLimit:  e.opts.MaxIterations,
	}
}

func (b *Budget) spend(name string, n int) error {
	if n > b.outLeft {
		return &Error{Template: name, Limit: LimitOutput, Msg: fmt.Sprintf("output is over the limit of %d bytes per resource", b.outLimit)}
	}
	b.outLeft -= n
	return nil
}

// charge takes n bytes of built values from the budget; what is refused is not charged.
func (b *Budget) charge(name, fn string, n int64) error {
	if n > b.allocLeft {
		return b.allocError(name, fn, n)
	}
	b.allocLeft -= n
	return nil
}

func (b *Budget) allocError(name, fn string, n int64) error {
	return &Error{Template: name, Limit: LimitAlloc, Msg: fmt.Sprintf(
		"%s would build %d bytes, over the limit of %d bytes of values per resource (%d left)", fn, n, b.allocLimit, b.allocLeft)}
}

// checkTime is called before every function call and loop iteration, so a render stops at its
// deadline having overrun by at most one function call.
func (b *Budget) checkTime(name string) error {
	if time.Now().After(b.deadline) {
		return b.timeoutError(name)
	}
	return nil
}

func (b *Budget) timeoutError(name string) error {
	return &Error{Template: name, Limit: LimitTime, Msg: fmt.Sprintf("rendering took longer than the limit of %s per resource", b.timeout)}
}

// iterate is called at the start of every range iteration and template call.
func (b *Budget) iterate(name string) error {
	if b.iterLeft <= 0 {
		return &Error{Template: name, Limit: LimitIterations, Msg: fmt.Sprintf("loops ran over the limit of %d iterations per resource", b.iterLimit)}
	}
	b.iterLeft--
	return b.checkTime(name)
}

type limitWriter struct {
	sb   strings.Builder
	b    *Budget
	name string
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if err := w.b.spend(w.name, len(p)); err != nil {
		return 0, err
	}
	if err := w.b.checkTime(w.name); err != nil {
		return 0, err
	}
	return w.sb.Write(p)
}

// quote quotes a value for an error message, cutting it so a huge value cannot make a huge error.
func quote(s string) string {
	const max = 64
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:max], len(s))
}
