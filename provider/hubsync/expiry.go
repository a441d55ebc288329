package hubsync

import (
	"fmt"
	"strings"
	"time"

	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/provider/schema"
)

// minExpiryRequeue keeps a row that expires any moment now from requeueing the Hub hot.
const minExpiryRequeue = time.Second

// An expiry is what a row's expiresAt column says at the sync time.
type expiry struct {
	// at is when the row expires; zero when it never does (no column mapped, or NULL).
	at time.Time
	// expired is true when at is at or before the sync time.
	expired bool
}

// rowExpiry reads a row's expiry from the value v of column at the sync time now. An empty
// column means the Hub maps none. The mysql source gives DATETIME and TIMESTAMP as RFC 3339 in
// UTC and DATE as YYYY-MM-DD; a string column may hold either.
func rowExpiry(column string, v any, now time.Time) (expiry, error) {
	if column == "" || v == nil {
		return expiry{}, nil
	}
	at, err := parseExpiry(v)
	if err != nil {
		return expiry{}, errors.Wrapf(err, "expiresAt column %s", column)
	}
	return expiry{at: at, expired: !at.After(now)}, nil
}

func parseExpiry(v any) (time.Time, error) {
	var at time.Time
	switch x := v.(type) {
	case time.Time:
		at = x
	case string:
		s := strings.TrimSpace(x)
		var err error
		if at, err = time.Parse(time.RFC3339Nano, s); err != nil {
			if at, err = time.Parse(time.DateOnly, s); err != nil {
				return time.Time{}, fmt.Errorf("%s is neither RFC 3339 (2006-01-02T15:04:05Z) nor a date (2006-01-02)", schema.Quote(x))
			}
		}
	default:
		return time.Time{}, fmt.Errorf("%s (%T) is not a DATETIME, TIMESTAMP, DATE or RFC 3339 string", schema.Quote(fmt.Sprint(v)), v)
	}
	// MySQL's zero date 0000-00-00 is often a stand-in for "none": reading it as the year 1
	// would expire the row, so it is rejected instead and NULL is the way to say never.
	if at.Year() <= 1 {
		return time.Time{}, fmt.Errorf("%q is a zero date; use NULL for a row that never expires", at.Format(time.RFC3339))
	}
	return at.UTC(), nil
}

// nextWake shortens a requeue interval so that the Hub syncs again when the earliest future
// expiry comes, but never sooner than minExpiryRequeue. A zero next leaves interval as it is.
func nextWake(interval time.Duration, next, now time.Time) time.Duration {
	if next.IsZero() {
		return interval
	}
	d := max(next.Sub(now), minExpiryRequeue)
	return min(d, interval)
}
