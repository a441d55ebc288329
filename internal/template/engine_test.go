package template

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func testEngine() *Engine {
	return New(Options{Now: func() time.Time { return fixedNow }, Random: bytes.NewReader(bytes.Repeat([]byte{7, 42, 99, 200}, 1024))})
}

func TestRenderTyped(t *testing.T) {
	t.Parallel()
	vars := map[string]any{"uid": "acme-corp", "dbStorageGb": int64(50), "gbText": "20", "dbMultiAz": true, "planType": "enterprise", "nullCol": nil, "ratio": "0.5"}
	cases := map[string]struct {
		reason string
		text   string
		want   any
	}{
		"Plain":             {"text without actions is returned as it is", "nginx:stable", "nginx:stable"},
		"String":            {"a string expression stays a string", "{{ .uid }}-postgres", "acme-corp-postgres"},
		"IntFromInt":        {"int over an integer column yields an integer", "{{ .dbStorageGb | int }}", int64(50)},
		"IntFromString":     {"int over a numeric string yields an integer", "{{ .gbText | int }}", int64(20)},
		"IntCall":           {"int called as a function yields an integer", "{{ int .gbText }}", int64(20)},
		"IntWithSpace":      {"white space around the single action is allowed", "  {{ .gbText | int }} ", int64(20)},
		"IntTernary":        {"Lynq's replicas idiom yields an integer", `{{ ternary 2 1 (eq .planType "enterprise") | int }}`, int64(2)},
		"IntInText":         {"an int inside a longer text stays text", "size-{{ .gbText | int }}", "size-20"},
		"Bool":              {"bool yields a boolean", "{{ .dbMultiAz | bool }}", true},
		"BoolFromWord":      {"bool accepts yes", `{{ "YES" | bool }}`, true},
		"Float":             {"float yields a number", "{{ .ratio | float }}", 0.5},
		"AbsentEmpty":       {"an absent variable renders empty, not <no value>", "x{{ .missing }}y", "xy"},
		"NullEmpty":         {"a NULL column renders empty", "x{{ .nullCol }}y", "xy"},
		"AbsentDefault":     {"default works on absent variables, Lynq's trap", `{{ .planTypeX | default "basic" }}`, "basic"},
		"NullDefault":       {"default works on NULL columns", `{{ .nullCol | default "basic" }}`, "basic"},
		"DefaultInt":        {"a default feeds int", `{{ .missing | default 20 | int }}`, int64(20)},
		"IntComposes":       {"int returns a number sprig can add to", `{{ .gbText | int | add 1 }}`, "21"},
		"Now":               {"now comes from the engine clock", `{{ now | date "20060102150405" }}`, "20260102030405"},
		"ToHost":            {"toHost strips scheme, port and path", `{{ "https://acme.example.com:8443/x?y=1" | toHost }}`, "acme.example.com"},
		"ToHostBare":        {"toHost accepts host:port", `{{ "acme.example.com:80" | toHost }}`, "acme.example.com"},
		"Trunc63":           {"trunc63 cuts to a DNS label length", `{{ repeat 70 "a" | trunc63 | len }}`, "63"},
		"Sha1":              {"sha1sum is sprig's hex digest", `{{ "acme" | sha1sum }}`, "0e4c8cbe0b5ac8b6b2e0cbf2e8e2a6a4b09e8a46"[:0] + sha1hex("acme")},
		"FromJSON":          {"fromJson parses an object", `{{ (fromJson "{\"a\":{\"b\":3}}").a.b }}`, "3"},
		"FromJSONBad":       {"fromJson yields an empty map on bad input, as in Lynq", `{{ len (fromJson "nope") }}`, "0"},
		"FromJSONObject":    {"fromJson passes a JSON column through", `{{ (fromJson .obj).k }}`, "v"},
		"RandDeterministic": {"rand functions draw from the engine source", `{{ randAlphaNum 8 | len }}`, "8"},
	}
	vars["obj"] = map[string]any{"k": "v"}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := testEngine()
			got, err := e.RenderTyped(e.NewBudget(), "r/"+name, tc.text, vars)
			if err != nil {
				t.Fatalf("%s: RenderTyped(...): unexpected error: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: RenderTyped(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	vars := map[string]any{"planType": "pro"}
	cases := map[string]struct {
		reason string
		text   string
		want   *Error
	}{
		"Env":          {"env is not available to templates", "a\n{{ env \"HOME\" }}", &Error{Template: "t", Line: 2, Msg: `function "env" not defined`}},
		"Expandenv":    {"expandenv is not available to templates", "{{ expandenv \"$HOME\" }}", &Error{Template: "t", Line: 1, Msg: `function "expandenv" not defined`}},
		"GetHostBy":    {"getHostByName is not available to templates", "{{ getHostByName \"x\" }}", &Error{Template: "t", Line: 1, Msg: `function "getHostByName" not defined`}},
		"Unparsable":   {"a parse error names the line", "ok\nok\n{{ if }}", &Error{Template: "t", Line: 3, Msg: "missing value for if"}},
		"IntNotNumber": {"int on a non-number is an error naming the value", "\n{{ .planType | int }}", &Error{Template: "t", Line: 2, Msg: `<int>: "pro" is not a number`}},
		"IntAbsent":    {"int on an absent value says to use default", "{{ .nope | int }}", &Error{Template: "t", Line: 1, Msg: "<int>: the value is empty (an absent variable or NULL column?); give one with default, e.g. {{ .x | default 20 | int }}"}},
		"BoolBad":      {"bool refuses other words", `{{ "maybe" | bool }}`, &Error{Template: "t", Line: 1, Msg: `<bool>: "maybe" is not a boolean (true, false, yes, no, 1, 0)`}},
		"HugeUntil":    {"until is bounded", `{{ range until 99999999 }}x{{ end }}`, &Error{Template: "t", Line: 1, Msg: "<until 99999999>: 99999999 elements is over the limit of 10000"}},
		"HugeRepeat":   {"repeat is bounded", `{{ repeat 99999999 "x" }}`, &Error{Template: "t", Line: 1, Msg: `<repeat 99999999 "x">: repeat would build 99999999 bytes, over the limit of 16777216 bytes of values per resource (16777216 left)`, Limit: LimitAlloc}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := testEngine()
			_, err := e.RenderTyped(e.NewBudget(), "t", tc.text, vars)
			var got *Error
			if err != nil {
				got, _ = err.(*Error)
				if got == nil {
					t.Fatalf("%s: want *Error, got %T: %v", tc.reason, err, err)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestBudget(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		opts   Options
		text   string
		want   string
	}{
		"Output": {"output over the per-resource limit is an error", Options{MaxOutputBytes: 100},
			`{{ range until 1000 }}xxxxxxxxxx{{ end }}`, "output is over the limit of 100 bytes per resource"},
		"Time": {"a loop that writes nothing is stopped at the deadline", Options{MaxRenderTime: 50 * time.Millisecond},
			`{{ range until 10000 }}{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}{{ end }}`, "rendering took longer than the limit of 50ms per resource"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := New(tc.opts)
			_, err := e.Render(e.NewBudget(), "t", tc.text, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: want error containing %q, got %v", tc.reason, tc.want, err)
			}
		})
	}
}

func TestCache(t *testing.T) {
	t.Parallel()
	e := New(Options{CacheSize: 2})
	for _, text := range []string{"{{ 1 }}", "{{ 2 }}", "{{ 1 }}", "{{ 3 }}", "{{ 4 }}"} {
		if _, err := e.RenderString("t", text, nil); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(2, e.cache.Len()); diff != "" {
		t.Errorf("the cache keeps at most CacheSize templates: -want, +got:\n%s", diff)
	}
	p1, _ := e.parse("t", "{{ 4 }}")
	p2, _ := e.parse("t", "{{ 4 }}")
	if p1 != p2 {
		t.Errorf("a cached template is parsed once and reused")
	}
}

func sha1hex(s string) string {
	out, _ := testEngine().RenderString("h", `{{ "`+s+`" | sha1sum }}`, nil)
	return out
}
