package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePath(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		in      string
		want    Path
		canon   string
		wantErr string
	}{
		"Dotted": {
			reason: "Dotted keys are map steps.",
			in:     "$.spec.replicas",
			want:   Path{{Key: "spec"}, {Key: "replicas"}},
			canon:  "$.spec.replicas",
		},
		"Index": {
			reason: "A number in brackets is a list index.",
			in:     "$.a[10].b",
			want:   Path{{Key: "a"}, {Index: 10, IsIndex: true}, {Key: "b"}},
			canon:  "$.a[10].b",
		},
		"Quoted": {
			reason: "A quoted key may hold dots, slashes and escaped quotes.",
			in:     `$.metadata.labels['x.y/z']["it\"s"]`,
			want:   Path{{Key: "metadata"}, {Key: "labels"}, {Key: "x.y/z"}, {Key: `it"s`}},
			canon:  `$.metadata.labels['x.y/z']['it"s']`,
		},
		"Wildcard": {
			reason: "[*] is every element, in any position and more than once.",
			in:     "$.spec.containers[*].ports[*].containerPort",
			want:   Path{{Key: "spec"}, {Key: "containers"}, {Wildcard: true}, {Key: "ports"}, {Wildcard: true}, {Key: "containerPort"}},
			canon:  "$.spec.containers[*].ports[*].containerPort",
		},
		"Root": {
			reason: "$ alone parses to the empty path.",
			in:     "$",
			canon:  "$",
		},
		"NoDollar":      {reason: "Paths start with $.", in: "spec.replicas", wantErr: `must start with $`},
		"EmptyKey":      {reason: "An empty dotted key is an error.", in: "$.spec..replicas", wantErr: `empty key at offset 7`},
		"Filter":        {reason: "Filters are not supported.", in: "$.a[?(@.b)]", wantErr: `index "?(@.b)" is not a non-negative integer or *`},
		"Negative":      {reason: "Negative indexes are not supported.", in: "$.a[-1]", wantErr: `index "-1"`},
		"Unterminated":  {reason: "An open bracket must close.", in: "$.a['b", wantErr: `unterminated quoted key`},
		"TrailingJunk":  {reason: "A quoted key must be followed by ].", in: "$.a['b'x]", wantErr: `quoted key must be followed by ]`},
		"BadEscape":     {reason: "Only the quote and backslash may be escaped.", in: `$['a\n']`, wantErr: `a backslash may only escape`},
		"UnexpectedChr": {reason: "Anything else after a step is an error.", in: "$.a b", wantErr: `unexpected ' ' at offset 3`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePath(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("\n%s\nParsePath(%q): want error containing %q, got %v", tc.reason, tc.in, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\nParsePath(%q): %v", tc.reason, tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nParsePath(%q): -want, +got:\n%s", tc.reason, tc.in, diff)
			}
			if diff := cmp.Diff(tc.canon, got.String()); diff != "" {
				t.Errorf("\n%s\nString(): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// FuzzParsePath checks that ParsePath never panics and that the canonical form of every
// path it accepts parses back to the same path.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"$", "$.spec.replicas", "$.a[0].b", `$.metadata.labels['x.y/z']`, `$["a\"b"]`, "$.a[", "$['", `$['\\']`, "$.a[*].b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		again, err := ParsePath(p.String())
		if err != nil {
			t.Fatalf("ParsePath(%q).String() = %q does not parse: %v", s, p.String(), err)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("round trip of %q via %q: -first, +second:\n%s", s, p.String(), diff)
		}
	})
}
