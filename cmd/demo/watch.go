package main

import (
	"fmt"
	"time"

	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/internal/devstack/stack"
	"github.com/rowplane/rowplane/internal/devstack/standin"
)

const (
	// stepTimeout bounds every step: an expected state not reached by then fails the demo.
	stepTimeout = 90 * time.Second
	// pollInterval is how often the tenants are read.
	pollInterval = 200 * time.Millisecond
)

// tenants are the demo's rows, in the order the table shows them.
var tenants = []string{"acme-corp", "globex", "initech"}

// snapshot is every tenant as read at one moment.
type snapshot map[string]stack.Tenant

// read reads every tenant.
func (d *demo) read() (snapshot, error) {
	s := snapshot{}
	for _, uid := range tenants {
		t, err := stack.ReadTenant(d.ctx, d.c, uid)
		if err != nil {
			return nil, err
		}
		s[uid] = t
	}
	return s, nil
}

// frame renders a snapshot as the tenants' table.
func (d *demo) frame(s snapshot) string {
	rows := make([]row, 0, len(tenants))
	for _, uid := range tenants {
		var del *standin.Deletion
		if x, ok := d.rds.Deleted(uid + "-postgres"); ok {
			del = &x
		}
		rows = append(rows, tenantRow(s[uid], d.active[uid], del))
	}
	return renderTable(rows)
}

// watch prints the tenants' table whenever it changes, until done accepts a snapshot. It fails,
// naming the step and done's last objection, after stepTimeout.
func (d *demo) watch(step string, done func(snapshot) error) error {
	start := time.Now()
	var last string
	var why error
	for {
		s, err := d.read()
		if err == nil {
			if f := d.frame(s); f != last {
				fmt.Fprintf(d.out, "  +%s\n%s", seconds(time.Since(start)), f)
				last = f
			}
			why = done(s)
			if why == nil {
				return nil
			}
		} else {
			why = err
		}
		if time.Since(start) > stepTimeout {
			return errors.Errorf("%s: expected state not reached within %s: %v", step, stepTimeout, why)
		}
		select {
		case <-d.ctx.Done():
			return errors.Wrapf(d.ctx.Err(), "%s: interrupted", step)
		case <-time.After(pollInterval):
		}
	}
}

// allReady accepts a snapshot where every named tenant is Ready.
func allReady(uids ...string) func(snapshot) error {
	return func(s snapshot) error {
		for _, uid := range uids {
			if err := s[uid].Ready(); err != nil {
				return err
			}
		}
		return nil
	}
}
