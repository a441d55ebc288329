package controlplane

import (
	"context"
	"time"

	"github.com/pkg/errors"
)

// Eventually calls f every interval until it returns nil, the timeout passes or ctx ends, and
// then returns f's last error.
func Eventually(ctx context.Context, timeout, interval time.Duration, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		err := f()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Wrapf(err, "still failing after %s", timeout)
		case <-t.C:
		}
	}
}
