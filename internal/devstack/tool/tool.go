// Package tool finds the pinned tools `make tools` builds, for tests. The Makefile exports
// each tool's path in an environment variable; a test run by hand without it is skipped, and
// under CI=true, where every tool must be present, it fails.
package tool

import (
	"os"
	"testing"
)

// Require returns the path in environment variable env when something exists there. what
// names the tool in the message otherwise.
func Require(t testing.TB, env, what string) string {
	t.Helper()
	p := os.Getenv(env)
	if p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	Unavailable(t, "no %s at %s=%s: run make tools, or run the tests with make test", what, env, p)
	return ""
}

// Unavailable skips the test for a missing tool or service, or fails it under CI=true, where
// everything a test needs must be present.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (set CI=true to make this a failure)", args...)
}
