package template

import (
	"fmt"
	"strings"
	"testing"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"github.com/google/go-cmp/cmp"
)

type named struct{ N string }

func (n *named) Hello() string { return "hi " + n.N }

// TestGuardKeepsSemantics proves the loop guards change nothing for honest templates: each
// renders exactly as plain text/template with sprig renders it.
func TestGuardKeepsSemantics(t *testing.T) {
	t.Parallel()
	vars := map[string]any{
		"ints":    []int{3, 1, 2},
		"arr":     [3]string{"a", "b", "c"},
		"m":       map[string]int{"b": 2, "a": 1, "c": 3},
		"im":      map[int]string{10: "x", 2: "y"},
		"anys":    []any{"s", 1, map[string]any{"k": "v"}, []any{1, 2}},
		"empty":   []string{},
		"n":       4,
		"structs": []named{{"a"}, {"b"}},
		"nested":  map[string]any{"rows": []any{map[string]any{"id": 1, "tags": []any{"x", "y"}}, map[string]any{"id": 2, "tags": []any{}}}},
	}
	cases := map[string]string{
		"Slice":         `{{ range .ints }}{{ . }},{{ end }}`,
		"SliceIndex":    `{{ range $i, $e := .ints }}{{ $i }}={{ $e }};{{ end }}`,
		"SliceElem":     `{{ range $e := .ints }}{{ $e }}{{ . }}{{ end }}`,
		"Array":         `{{ range $i, $e := .arr }}{{ $i }}{{ $e }}{{ end }}`,
		"MapSorted":     `{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}`,
		"IntMapSorted":  `{{ range $k, $v := .im }}{{ $k }}:{{ $v }} {{ end }}`,
		"MapValues":     `{{ range .m }}{{ . }}{{ end }}`,
		"Int":           `{{ range 5 }}{{ . }}{{ end }}`,
		"IntVar":        `{{ range $i := .n }}{{ $i }}{{ end }}`,
		"Anys":          `{{ range .anys }}[{{ . }}]{{ end }}`,
		"Else":          `{{ range .empty }}x{{ else }}none{{ end }}`,
		"ElseZero":      `{{ range 0 }}x{{ else }}none{{ end }}`,
		"ElseMissing":   `{{ range .missing }}x{{ else }}none{{ end }}`,
		"Break":         `{{ range .ints }}{{ if eq . 1 }}{{ break }}{{ end }}{{ . }}{{ end }}`,
		"Continue":      `{{ range .ints }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}`,
		"Assign":        `{{ $x := 0 }}{{ range $x = .ints }}{{ end }}{{ $x }}`,
		"AssignTwo":     `{{ $i := 0 }}{{ $e := 0 }}{{ range $i, $e = .ints }}{{ end }}{{ $i }}{{ $e }}`,
		"Nested":        `{{ range .nested.rows }}{{ .id }}:{{ range $j, $t := .tags }}{{ $j }}{{ $t }}{{ else }}-{{ end }};{{ end }}`,
		"DotAndRoot":    `{{ range .ints }}{{ $.n }}{{ . }}{{ end }}`,
		"PointerMethod": `{{ range .structs }}{{ .Hello }};{{ end }}`,
		"Until":         `{{ range $i, $v := until 4 }}{{ $i }}{{ $v }}{{ end }}`,
		"UntilStep":     `{{ range untilStep 10 0 -3 }}{{ . }} {{ end }}`,
		"Seq":           `{{ seq 5 }}|{{ seq 3 -2 }}|{{ seq 1 3 10 }}|{{ seq 10 -4 1 }}|{{ seq 0 }}`,
		"Define":        `{{ define "row" }}<{{ . }}>{{ end }}{{ range .ints }}{{ template "row" . }}{{ end }}`,
		"Trim":          "{{ range .ints -}}\n  {{ . }}\n{{- end }}",
		"WithIf":        `{{ with .m }}{{ range $k, $_ := . }}{{ if ne $k "b" }}{{ $k }}{{ end }}{{ end }}{{ end }}`,
		"Printf":        `{{ printf "%03d|%-4s|%v" 7 "ab" .ints }}{{ println "x" }}{{ print 1 "a" 2 }}`,
		"Strings":       `{{ indent 2 "a\nb" }}{{ nindent 1 "c" }}{{ replace "a" "bb" "banana" }}{{ join "," .arr }}{{ repeat 3 "ab" }}`,
	}
	e := New(Options{})
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			plain := template.Must(template.New("t").Option("missingkey=default").Funcs(sprig.TxtFuncMap()).Parse(text))
			var want strings.Builder
			if err := plain.Execute(&want, vars); err != nil {
				t.Fatalf("plain text/template: %v", err)
			}
			got, err := e.RenderString("t", text, vars)
			if err != nil {
				t.Fatalf("RenderString(%q): %v", text, err)
			}
			if diff := cmp.Diff(want.String(), got); diff != "" {
				t.Errorf("RenderString(%q) differs from plain text/template: -want, +got:\n%s", text, diff)
			}
		})
	}
}

// TestCountingMatchesSprig proves until, untilStep and seq list what sprig's list, over a grid
// of small bounds and steps of both signs.
func TestCountingMatchesSprig(t *testing.T) {
	t.Parallel()
	sf := sprig.TxtFuncMap()
	sUntilStep, sSeq := sf["untilStep"].(func(int, int, int) []int), sf["seq"].(func(...int) string)
	for a := -4; a <= 4; a++ {
		for b := -4; b <= 4; b++ {
			for step := -3; step <= 3; step++ {
				got, err := untilStep(a, b, step)
				if want := sUntilStep(a, b, step); err != nil || !cmp.Equal(want, got, cmpEmpty) {
					t.Errorf("untilStep(%d, %d, %d) = %v, %v; sprig lists %v", a, b, step, got, err, want)
				}
				gotSeq, err := seq(a, step, b)
				if want := sSeq(a, step, b); err != nil || want != gotSeq {
					t.Errorf("seq(%d, %d, %d) = %q, %v; sprig lists %q", a, step, b, gotSeq, err, want)
				}
			}
			gotSeq, err := seq(a, b)
			if want := sSeq(a, b); err != nil || want != gotSeq {
				t.Errorf("seq(%d, %d) = %q, %v; sprig lists %q", a, b, gotSeq, err, want)
			}
		}
		gotSeq, err := seq(a)
		if want := sSeq(a); err != nil || want != gotSeq {
			t.Errorf("seq(%d) = %q, %v; sprig lists %q", a, gotSeq, err, want)
		}
		got, err := until(a)
		if want := sf["until"].(func(int) []int)(a); err != nil || !cmp.Equal(want, got, cmpEmpty) {
			t.Errorf("until(%d) = %v, %v; sprig lists %v", a, got, err, want)
		}
	}
	if got, err := untilStep(9223372036854775800, 9223372036854775807, 5); err != nil || fmt.Sprint(got) != "[9223372036854775800 9223372036854775805]" {
		t.Errorf("untilStep near the largest int = %v, %v; want the two elements short of it", got, err)
	}
}

// cmpEmpty treats nil and empty lists as equal: sprig returns []int{} where we return make(0).
var cmpEmpty = cmp.Comparer(func(a, b []int) bool { return fmt.Sprint(a) == fmt.Sprint(b) })
