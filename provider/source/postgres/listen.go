package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pkg/errors"
)

// A Hint tells a Listener's caller to read its table again.
type Hint struct {
	// Connected is true for the hint after every (re)connect: a notification sent while the
	// listener was away is lost, so the caller must read everything then.
	Connected bool
	// Payload is the notification's payload (the table, with TriggerSQL's trigger).
	Payload string
}

// A Listener LISTENs on one channel over a dedicated connection and calls Hinted for every
// notification, and once after every (re)connect. It listens before that first call, so a
// change made while the caller reads is notified rather than missed.
type Listener struct {
	Connection Connection
	Channel    string
	// Hinted is called from Run's goroutine; it should hand the hint over (e.g. a non-blocking
	// send on a channel of one) rather than read the table itself.
	Hinted func(Hint)
	// Lost is called with the error that ended a connection or failed a reconnect; optional.
	Lost func(error)
	// RetryDelay is the first wait before reconnecting, doubled up to a minute while the server
	// stays away. Zero means one second.
	RetryDelay time.Duration
	// IdleCheck is how long the connection may stay silent before it is pinged, so a peer that
	// vanished without closing the socket is noticed. Zero means 30 seconds.
	IdleCheck time.Duration
}

// Run listens until ctx is done, reconnecting whenever the connection is lost, and returns the
// context's error then, or at once an error for a channel name or TLS setting that can never
// work.
func (l *Listener) Run(ctx context.Context) error {
	if l.Hinted == nil {
		return errors.New("listener has no Hinted function")
	}
	channel, err := QuoteIdentifier(l.Channel)
	if err != nil {
		return errors.Wrap(err, "channel")
	}
	cfg, err := l.Connection.connConfig()
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = "rowplane-listener"
	first := l.RetryDelay
	if first <= 0 {
		first = time.Second
	}
	delay := first
	for {
		connected, err := l.session(ctx, cfg, channel)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if l.Lost != nil {
			l.Lost(scrub(err, cfg))
		}
		if connected {
			delay = first
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, time.Minute)
	}
}

// session connects, listens and hands over hints until the connection fails. It reports
// whether it got as far as listening, which resets the reconnect delay.
func (l *Listener) session(ctx context.Context, cfg *pgx.ConnConfig, channel string) (bool, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, errors.Wrap(err, "connect")
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = conn.Close(ctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return false, errors.Wrapf(err, "listen on %s", channel)
	}
	l.Hinted(Hint{Connected: true})
	idle := l.IdleCheck
	if idle <= 0 {
		idle = 30 * time.Second
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, idle)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			l.Hinted(Hint{Payload: n.Payload})
		case ctx.Err() != nil:
			return true, ctx.Err()
		case pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded):
			// Silence: prove the connection is still alive, or start over.
			if err := conn.Ping(ctx); err != nil {
				return true, errors.Wrap(err, "ping")
			}
		default:
			return true, fmt.Errorf("wait for notification: %w", err)
		}
	}
}
