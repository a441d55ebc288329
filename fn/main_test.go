package main

import (
	"testing"

	"github.com/alecthomas/kong"
)

// TestServeFlags proves the production serve command cannot pin the clock: --fixed-time
// belongs to the development build (fn/internal/devserve) only.
func TestServeFlags(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		args    []string
		wantErr bool
	}{
		"Insecure":  {"the flags crossplane render's development runtime needs parse", []string{"serve", "--insecure", "--address=127.0.0.1:0"}, false},
		"FixedTime": {"a fixed clock is refused by the shipped server", []string{"serve", "--insecure", "--fixed-time=2026-01-01T00:00:00Z"}, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := kong.New(&CLI{}, kong.Vars{"version": "test"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Parse(tc.args)
			if (err != nil) != tc.wantErr {
				t.Errorf("%s\nParse(%q): error %v, want error: %t", tc.reason, tc.args, err, tc.wantErr)
			}
		})
	}
}
