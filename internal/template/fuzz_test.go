package template

import (
	"errors"
	"testing"
	"time"

	"k8s.io/utils/lru"
)

// FuzzRender feeds arbitrary templates to the engine: it must return a value or an *Error,
// never panic, never exceed its output budget and never return a huge error. The limits are
// small so a hostile input costs milliseconds and the fuzzer keeps its pace.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{"{{ .uid }}", "{{ .n | int }}", `{{ range until 5 }}x{{ end }}`, "{{ if", "{{ .a.b.c }}", `{{ fromJson "{}" }}`, "{{ env \"HOME\" }}",
		`{{ range $i, $e := .list }}{{ $i }}{{ $e }}{{ else }}-{{ end }}`, `{{range 100000}}{{range 100000}}{{end}}{{end}}`,
		`{{ $s := "x" }}{{ range until 64 }}{{ $s = print $s $s }}{{ end }}`, `{{ seq -3000000 }}`, `{{ untilStep 0 9223372036854775807 4611686018427387904 }}`,
		`{{ indent 100000000 "x" }}`, `{{ $d := dict }}{{ $_ := set $d "a" $d }}{{ $d }}`, `{{define "a"}}{{template "a" .}}{{end}}{{template "a" .}}`,
		`{{ printf "%*d" 999999 1 }}`, `{{ $l := list 1 }}{{ range until 30 }}{{ $l = list $l $l }}{{ end }}{{ toJson $l }}`} {
		f.Add(seed)
	}
	e := New(Options{MaxOutputBytes: 4096, MaxAllocBytes: 1 << 20, MaxIterations: 10000, MaxRenderTime: time.Second})
	f.Fuzz(func(t *testing.T, text string) {
		// Fresh variables each time: set and merge may change them, and one input must not
		// change what the next one sees.
		vars := map[string]any{"uid": "acme", "n": "3", "a": map[string]any{"b": nil}, "list": []any{"x", 2, map[string]any{"k": "v"}}}
		// The limits are in numbers a short template can ask for; a long input adds nothing but
		// minutes of minimization each time it finds coverage (Go minimizes for up to 60 s).
		if len(text) > 512 {
			return
		}
		// A fresh cache makes every run of an input cover the same code (parse, then execute),
		// so the fuzzer does not chase the cache's hit-or-miss as new coverage.
		e.cache = lru.New(1)
		out, err := e.RenderTyped(e.NewBudget(), "fuzz", text, vars)
		if err != nil {
			var le *Error
			if !errors.As(err, &le) || le != err {
				t.Fatalf("RenderTyped(%q) returned %T, want *Error: %v", text, err, err)
			}
			if n := len(le.Msg); n > 1024 {
				t.Fatalf("RenderTyped(%q) returned a %d-byte error: %.200s", text, n, le.Msg)
			}
			return
		}
		if s, ok := out.(string); ok && len(s) > 4096 {
			t.Fatalf("RenderTyped(%q) wrote %d bytes over the 4096 budget", text, len(s))
		}
	})
}
