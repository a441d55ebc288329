package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanRefs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		text   string
		want   refs
	}{
		"Fields":        {"field chains are read from the root", `{{ .a }} {{ .xr.spec.b | upper }}`, refs{chains: [][]string{{"a"}, {"xr", "spec", "b"}}}},
		"Dollar":        {"$.x is read from the root, also inside with", `{{ with .w }}{{ $.d.e }}{{ end }}`, refs{chains: [][]string{{"w"}, {"d", "e"}}}},
		"WithBody":      {"inside with, dot is the pipeline's value, already counted", `{{ with .xr }}{{ .metadata.name }}{{ . }}{{ end }}`, refs{chains: [][]string{{"xr"}}}},
		"RangeElse":     {"the else of a range sees the root", `{{ range .l }}{{ .x }}{{ else }}{{ .e }}{{ end }}`, refs{chains: [][]string{{"l"}, {"e"}}}},
		"IfBody":        {"an if body keeps the root dot", `{{ if .c }}{{ .b }}{{ end }}`, refs{chains: [][]string{{"c"}, {"b"}}}},
		"Variable":      {"a variable is set from a scanned pipeline", `{{ $v := .a }}{{ $v.b }}`, refs{chains: [][]string{{"a"}}}},
		"DotAsValue":    {"dot passed as a value reads everything", `{{ toJson . }}`, refs{all: true}},
		"DollarAsValue": {"$ passed as a value reads everything", `{{ index $ "a" }}`, refs{all: true}},
		"Define":        {"a define's dot is its argument, counted where it is called", `{{ define "t" }}{{ .x }}{{ end }}{{ template "t" .a }}`, refs{chains: [][]string{{"a"}}}},
		"Chain":         {"a chain on a pipeline counts the pipeline", `{{ (index .m "k").f }}`, refs{chains: [][]string{{"m"}}}},
		"Once":          {"a chain read twice is listed once", `{{ .a }}{{ .a }}`, refs{chains: [][]string{{"a"}}}},
		"Broken":        {"a template that does not parse reads everything", `{{ .a `, refs{all: true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, *scanRefs(tc.text), cmp.AllowUnexported(refs{})); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestTainted(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		in     string
		want   bool
		clean  string
	}{
		"Plain":         {"letters, digits, dots and slashes are plain", "db.t3.small/x_y", false, "db.t3.small/x_y"},
		"Newline":       {"a line break ends the scalar", "a\nb", true, "a_b"},
		"Quote":         {"a quote can close the template's quote", `a"b`, true, "a_b"},
		"Colon":         {"a colon can start a mapping", "a: b", true, "a_ b"},
		"LineSeparator": {"a unicode line separator breaks the line too", "a\u2028b", true, "a_b"},
		"Tab":           {"a tab is a control character", "a\tb", true, "a_b"},
		"LeadingDash":   {"a leading dash and space starts a sequence entry", " - a", true, " _ a"},
		"NegativeInt":   {"a negative number is plain", "-1", false, "-1"},
		"Separator":     {"three dashes are a document marker", "---", true, "___"},
		"InvalidUTF8":   {"invalid UTF-8 is refused by the parser", "a\xffb", true, "a_b"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tainted(tc.in); got != tc.want {
				t.Errorf("%s: tainted(%q) = %v", tc.reason, tc.in, got)
			}
			if diff := cmp.Diff(tc.clean, clean(tc.in)); diff != "" {
				t.Errorf("%s: clean(%q): -want, +got:\n%s", tc.reason, tc.in, diff)
			}
			if tainted(clean(tc.in)) {
				t.Errorf("%s: clean(%q) = %q is still tainted", tc.reason, tc.in, clean(tc.in))
			}
		})
	}
}

func TestCleanedVarsShares(t *testing.T) {
	t.Parallel()
	obs := map[string]any{"big": "a:b"}
	vars := map[string]any{"xr": map[string]any{"spec": map[string]any{"v": "a\nb", "w": "c:d"}}, "observed": obs}
	got := cleanedVars(vars, [][]string{{"xr", "spec", "v"}})
	want := map[string]any{"xr": map[string]any{"spec": map[string]any{"v": "a_b", "w": "c:d"}}, "observed": obs}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the value at the chain is cleaned: -want, +got:\n%s", diff)
	}
	if vars["xr"].(map[string]any)["spec"].(map[string]any)["v"] != "a\nb" {
		t.Error("cleaning must not change the real variables")
	}
}
