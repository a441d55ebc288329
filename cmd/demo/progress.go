package main

import (
	"fmt"
	"io"
	"time"

	"github.com/pkg/errors"
)

// progress prints numbered setup steps as "[2/7] label ... 3.1s".
type progress struct {
	w        io.Writer
	n, total int
}

// step runs f under a numbered label and prints how long it took.
func (p *progress) step(label string, f func() error) error {
	p.n++
	fmt.Fprintf(p.w, "[%d/%d] %s ... ", p.n, p.total, label)
	start := time.Now()
	if err := f(); err != nil {
		fmt.Fprintf(p.w, "FAILED after %s\n", seconds(time.Since(start)))
		return errors.Wrapf(err, "step %d/%d (%s)", p.n, p.total, label)
	}
	fmt.Fprintf(p.w, "%s\n", seconds(time.Since(start)))
	return nil
}

// note prints an indented line under the current step.
func (p *progress) note(format string, args ...any) {
	fmt.Fprintf(p.w, "      "+format+"\n", args...)
}

// seconds formats a duration as "3.1s".
func seconds(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }
