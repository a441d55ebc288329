//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// lastSyncTime returns the Hub's status.lastSyncTime, zero before its first sync.
func (s *suite) lastSyncTime(t *testing.T) time.Time {
	t.Helper()
	hub := s.get(t, hubGVK, tenantsNS, hubName)
	if hub == nil {
		t.Fatalf("Hub %s/%s not found", tenantsNS, hubName)
	}
	v, _, _ := unstructured.NestedString(hub.Object, "status", "lastSyncTime")
	if v == "" {
		return time.Time{}
	}
	ts, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t.Fatalf("Hub status.lastSyncTime %q: %v", v, err)
	}
	return ts
}

// waitForSyncSince waits until a whole Hub sync has run after since, so that what is checked
// next has been through the Hub's decision, instead of sleeping and hoping it has. A
// lastSyncTime after since ends a sync that may have read the table and listed the claims
// before since; the next one began after that one ended (a Hub's syncs never overlap), so it
// is the first that saw everything up to since. lastSyncTime has one-second resolution and
// is rounded down, so a value after since is really after it. It returns how long it waited.
func (s *suite) waitForSyncSince(t *testing.T, since time.Time) time.Duration {
	t.Helper()
	var first time.Time
	return s.waitFor(t, time.Minute, "a Hub sync that began after "+since.Format(time.RFC3339Nano), func() error {
		last := s.lastSyncTime(t)
		switch {
		case first.IsZero() && last.After(since):
			first = last
		case !first.IsZero() && last.After(first):
			return nil
		}
		return fmt.Errorf("Hub lastSyncTime %s", last.Format(time.RFC3339))
	})
}

// applySyncedHub applies a scenario's own ProviderConfig and Hub (the Hub last), deletes the Hub
// when the test ends — its database goes with the test and the Hub must not outlive it — and
// waits until the Hub is Synced.
func (s *suite) applySyncedHub(t *testing.T, what string, objs []*unstructured.Unstructured) {
	t.Helper()
	s.apply(t, objs...)
	hub := objs[len(objs)-1]
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = s.c.Delete(ctx, hub)
	})
	s.waitFor(t, time.Minute, what+" is Synced", func() error {
		h := s.get(t, hubGVK, hub.GetNamespace(), hub.GetName())
		if !conditionIs(h, "Synced", "True") {
			return fmt.Errorf("Hub %s", conditionsText(h))
		}
		return nil
	})
}
