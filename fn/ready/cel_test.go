package ready

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCELEval(t *testing.T) {
	t.Parallel()
	obj := `{apiVersion: example.org/v1, kind: Widget,
status: {phase: Provisioned, endpoints: [a, b], conditions: [{type: Synced, status: "True"}]}}`
	cases := map[string]struct {
		reason  string
		expr    string
		want    bool
		wantErr string
	}{
		"FieldEquals": {
			reason: "A plain comparison on status works.",
			expr:   `object.status.phase == "Provisioned"`,
			want:   true,
		},
		"Macro": {
			reason: "CEL macros work over conditions.",
			expr:   `object.status.conditions.exists(c, c.type == "Synced" && c.status == "True")`,
			want:   true,
		},
		"HasGuard": {
			reason: "has() tests for a field without failing.",
			expr:   `has(object.status.ready) && object.status.ready`,
			want:   false,
		},
		"Size": {
			reason: "Lists from the object are usable.",
			expr:   `size(object.status.endpoints) >= 2`,
			want:   true,
		},
		"MissingField": {
			reason:  "Reading an absent field is an error naming the expression.",
			expr:    `object.status.ready == true`,
			wantErr: `readyWhen "object.status.ready == true": no such key: ready`,
		},
		"NotBool": {
			reason:  "A non-boolean expression is rejected at compile time.",
			expr:    `1 + 1`,
			wantErr: `readyWhen "1 + 1": result type is int, want bool`,
		},
		"DynNotBool": {
			reason:  "A dynamic result that is not a bool is rejected at evaluation.",
			expr:    `object.status.phase`,
			wantErr: `readyWhen "object.status.phase": result is string, not bool`,
		},
		"Syntax": {
			reason:  "A syntax error names the expression.",
			expr:    `object.status.phase ==`,
			wantErr: `readyWhen "object.status.phase ==": compile`,
		},
		"Empty": {
			reason:  "An empty expression is an error.",
			expr:    ``,
			wantErr: `readyWhen: expression is empty`,
		},
		"CostLimit": {
			reason:  "An expression that exceeds the cost limit is stopped.",
			expr:    `[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, a+b+c+d+e+f > 0))))))`,
			wantErr: `readyWhen`,
		},
	}
	c := NewCEL(8)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := c.Eval(tc.expr, fromYAML(t, obj))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("\n%s\nEval(%q): want error containing %q, got %v", tc.reason, tc.expr, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\nEval(%q): %v", tc.reason, tc.expr, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nEval(%q): -want, +got:\n%s", tc.reason, tc.expr, diff)
			}
		})
	}
}

func TestCELCacheBounded(t *testing.T) {
	t.Parallel()
	c := NewCEL(3)
	for i := range 10 {
		if err := c.Compile(fmt.Sprintf("object.status.n == %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(3, c.cached()); diff != "" {
		t.Errorf("cached(): -want, +got:\n%s", diff)
	}
	if err := c.Compile("object.kind == 'x'"); err != nil {
		t.Fatal(err)
	}
	if err := c.Compile("object.kind == 'x'"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(3, c.cached()); diff != "" {
		t.Errorf("cached() after a hit: -want, +got:\n%s", diff)
	}
}
