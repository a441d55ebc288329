package template

import "testing"

// BenchmarkRender measures one resource's worth of typical cached templates: plain
// interpolation, a sprig pipeline, a typed int and a short loop.
func BenchmarkRender(b *testing.B) {
	e := New(Options{})
	vars := map[string]any{"uid": "acme-corp", "planType": "enterprise", "dbStorageGb": int64(50), "regions": []any{"eu", "us", "ap"}}
	texts := []string{
		"{{ .uid }}-postgres",
		`{{ .uid | trunc63 | lower }}-{{ .planType | default "basic" }}`,
		`{{ ternary 2 1 (eq .planType "enterprise") | int }}`,
		`{{ range $i, $r := .regions }}{{ if $i }},{{ end }}{{ $r | upper }}{{ end }}`,
	}
	b.ReportAllocs()
	for b.Loop() {
		bud := e.NewBudget()
		for _, text := range texts {
			if _, err := e.RenderTyped(bud, "bench", text, vars); err != nil {
				b.Fatal(err)
			}
		}
	}
}
