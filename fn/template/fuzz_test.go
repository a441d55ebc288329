package template

import (
	"testing"
)

// FuzzRender feeds arbitrary templates to the engine: it must return a value or an *Error,
// never panic, and never exceed its output budget.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{"{{ .uid }}", "{{ .n | int }}", `{{ range until 5 }}x{{ end }}`, "{{ if", "{{ .a.b.c }}", `{{ fromJson "{}" }}`, "{{ env \"HOME\" }}"} {
		f.Add(seed)
	}
	e := New(Options{MaxOutputBytes: 4096})
	vars := map[string]any{"uid": "acme", "n": "3", "a": map[string]any{"b": nil}}
	f.Fuzz(func(t *testing.T, text string) {
		out, err := e.RenderTyped(e.NewBudget(), "fuzz", text, vars)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("RenderTyped(%q) returned %T, want *Error: %v", text, err, err)
			}
			return
		}
		if s, ok := out.(string); ok && len(s) > 4096 {
			t.Fatalf("RenderTyped(%q) wrote %d bytes over the 4096 budget", text, len(s))
		}
	})
}
