package template

import (
	"errors"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// cpuTime is the CPU time the whole process has used.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func limitError(t *testing.T, reason string, err error) *Error {
	t.Helper()
	var le *Error
	if !errors.As(err, &le) {
		t.Fatalf("%s: want *Error, got %T: %v", reason, err, err)
	}
	if n := len(le.Error()); n > 512 {
		t.Errorf("%s: the error is %d bytes long, want a short one: %.200s", reason, n, le.Error())
	}
	return le
}

// TestRenderStopsWork proves a render that hits its time or iteration limit has stopped when it
// returns: no goroutine is left behind and the process is idle again. Not parallel, so the
// goroutine count and the CPU time are this test's own.
func TestRenderStopsWork(t *testing.T) {
	slow := Options{MaxRenderTime: 100 * time.Millisecond, MaxIterations: 1 << 40}
	cases := map[string]struct {
		reason string
		opts   Options
		text   string
		want   Error
	}{
		"NestedUntil": {"a nested range that writes nothing is stopped at the deadline", slow,
			"x\n{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}",
			Error{Template: "t", Line: 2, Limit: LimitTime, Msg: "rendering took longer than the limit of 100ms per resource"}},
		"IntLiteral": {"a range over an integer literal is stopped at the deadline", slow,
			"{{range 100000}}{{range 100000}}{{end}}{{end}}",
			Error{Template: "t", Line: 1, Limit: LimitTime, Msg: "rendering took longer than the limit of 100ms per resource"}},
		"IntVariable": {"a range over an integer variable is stopped by the iteration limit", Options{MaxIterations: 1000},
			"{{ $n := 100000 }}\n\n{{range $n}}{{range $n}}{{end}}{{end}}",
			Error{Template: "t", Line: 3, Limit: LimitIterations, Msg: "loops ran over the limit of 1000 iterations per resource"}},
		"TemplateCalls": {"template calls that double at each level count as iterations", Options{MaxIterations: 1000},
			`{{define "a"}}{{template "b"}}{{template "b"}}{{end}}{{define "b"}}{{template "c"}}{{template "c"}}{{end}}` +
				`{{define "c"}}{{range 1000}}{{end}}{{end}}{{template "a"}}`,
			Error{Template: "t", Line: 1, Limit: LimitIterations, Msg: `executing "c": loops ran over the limit of 1000 iterations per resource`}},
		"MainCalls": {"the main template calling itself twice counts its calls", Options{MaxIterations: 1000},
			`{{template "t"}}{{template "t"}}`,
			Error{Template: "t", Line: 1, Limit: LimitIterations, Msg: `loops ran over the limit of 1000 iterations per resource`}},
		"Quadratic": {"a function comparing every pair of a long list is refused before it runs", Options{},
			`{{ until 10000 | uniq | len }}`,
			Error{Template: "t", Line: 1, Limit: LimitTime, Msg: `<uniq>: uniq would compare 50000000 pairs of elements, over the limit of 10000000 per call`}},
		"SlowCalls": {"a template without loops stops at the first call after the deadline", Options{MaxRenderTime: time.Millisecond},
			"{{ $a := htpasswd \"u\" \"p\" -}}\n{{ $b := htpasswd \"u\" \"p\" -}}\n{{ $c := htpasswd \"u\" \"p\" -}}\n{{ $d := htpasswd \"u\" \"p\" }}",
			Error{Template: "t", Line: 2, Limit: LimitTime, Msg: `<htpasswd "u" "p">: rendering took longer than the limit of 1ms per resource`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := New(tc.opts)
			goroutines := runtime.NumGoroutine()
			_, err := e.Render(e.NewBudget(), "t", tc.text, nil)
			got := limitError(t, tc.reason, err)
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("%s: Render(...) error: -want, +got:\n%s", tc.reason, diff)
			}
			if n := runtime.NumGoroutine(); n > goroutines {
				t.Errorf("%s: %d goroutines before the render, %d after it returned: want none left running", tc.reason, goroutines, n)
			}
			// An abandoned render would burn a whole core in this window.
			before := cpuTime(t)
			time.Sleep(100 * time.Millisecond)
			if used := cpuTime(t) - before; used > 50*time.Millisecond {
				t.Errorf("%s: the process used %v of CPU in the 100ms after the render returned, want it idle", tc.reason, used)
			}
		})
	}
}

// TestRenderBoundsMemory proves the values a render builds are bounded before they are built.
// Not parallel, so the allocation count is this test's own.
func TestRenderBoundsMemory(t *testing.T) {
	alloc := "over the limit of 16777216 bytes of values per resource"
	cases := map[string]struct {
		reason string
		text   string
		limit  string // the Limit of the error, or "" for a function's own error
		want   string // in the message
	}{
		"SeqNegative":      {"seq with a negative bound is counted before it is built", `{{ seq -3000000 }}`, "", "3000002 elements is over the limit of 10000"},
		"SeqHuge":          {"seq far past the list bound", `{{ seq -2000000000 }}`, "", "2000000002 elements is over the limit of 10000"},
		"UntilStepHuge":    {"untilStep's count does not overflow", `{{ untilStep -9223372036854775807 9223372036854775807 1 }}`, "", "over the limit of 10000"},
		"Indent":           {"indent is charged spaces times lines before it runs", `{{ indent 100000000 "a\nb" }}`, LimitAlloc, "indent would build 200000003 bytes, " + alloc},
		"Nindent":          {"nindent is charged like indent", `{{ nindent 2000000000 "x" }}`, LimitAlloc, "nindent would build 2000000002 bytes"},
		"DoublingPrint":    {"a string doubled in a loop runs out of budget", `{{ $s := "x" }}{{ range until 64 }}{{ $s = print $s $s }}{{ end }}`, LimitAlloc, alloc},
		"DoublingPrintf":   {"printf is charged too", `{{ $s := "x" }}{{ range until 64 }}{{ $s = printf "%s%s" $s $s }}{{ end }}`, LimitAlloc, alloc},
		"DoublingCat":      {"cat is charged too", `{{ $s := "x" }}{{ range until 64 }}{{ $s = cat $s $s }}{{ end }}`, LimitAlloc, alloc},
		"DoublingList":     {"a list of references doubled in a loop is charged its printed size", `{{ $l := list 1 }}{{ range until 64 }}{{ $l = list $l $l }}{{ end }}{{ $l }}`, LimitAlloc, alloc},
		"ManyReferences":   {"a call over many references to one big value is refused before it runs", `{{ $s := repeat 1000000 "x" }}{{ cat $s $s $s $s $s $s $s $s $s $s $s $s $s $s $s $s $s $s $s $s | len }}`, LimitAlloc, "cat would build"},
		"ReplaceEmpty":     {"replace of the empty string is charged every insertion", `{{ $s := repeat 100000 "x" }}{{ replace "" $s $s }}`, LimitAlloc, "replace would build"},
		"RegexReplace":     {"a regex replacement is charged its worst case", `{{ $s := repeat 100000 "x" }}{{ regexReplaceAll "" $s $s }}`, LimitAlloc, "regexReplaceAll would build"},
		"PrintfWidth":      {"printf widths are charged", `{{ printf (repeat 1000 "%999999d") 1 }}`, LimitAlloc, "printf would build"},
		"SplitEmpty":       {"split into single characters is charged per piece", `{{ $s := repeat 1000000 "x" }}{{ len (split "" $s) }}`, LimitAlloc, "split would build"},
		"JoinReferences":   {"join of many references is charged", `{{ $s := repeat 1000000 "x" }}{{ $l := list $s $s $s $s $s $s $s $s }}{{ join "," (list $l $l $l) }}`, LimitAlloc, alloc},
		"SelfContaining":   {"a dict set into itself is refused before anything prints it", `{{ $d := dict }}{{ $_ := set $d "a" $d }}{{ $d }}`, LimitAlloc, "set would put a dict inside itself"},
		"MergeContaining":  {"merging a dict that holds the target into it is refused", `{{ $a := dict }}{{ $b := dict "a" (list $a) }}{{ $_ := merge $a $b }}{{ $a }}`, LimitAlloc, "merge would put a dict inside itself"},
		"MutualContaining": {"two dicts set into each other are refused", `{{ $a := dict }}{{ $b := dict "a" $a }}{{ $_ := set $a "b" $b }}{{ $a }}`, LimitAlloc, "set would put a dict inside itself"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := New(Options{})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := e.Render(e.NewBudget(), "t", tc.text, nil)
			runtime.ReadMemStats(&after)
			got := limitError(t, tc.reason, err)
			if got.Limit != tc.limit || got.Template != "t" || got.Line != 1 || !strings.Contains(got.Msg, tc.want) {
				t.Errorf("%s: want Limit %q, template t line 1 and a message containing %q, got %#v", tc.reason, tc.limit, tc.want, got)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 256<<20 {
				t.Errorf("%s: the render allocated %d MiB, want at most a few times the 16 MiB budget", tc.reason, n>>20)
			}
		})
	}
}

func TestErrorsQuoteLittle(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		text   string
	}{
		"Int":   {"int quotes at most 64 bytes of a huge value", `{{ repeat 100000 "x" | int }}`},
		"Bool":  {"bool quotes at most 64 bytes of a huge value", `{{ repeat 100000 "x" | bool }}`},
		"Range": {"text/template's own errors are cut", `{{ range repeat 100000 "x" }}{{ end }}`},
		"Typed": {"a typed result that does not convert is quoted short", `{{ repeat 100000 "1" | int | print "x" | int }}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := testEngine()
			_, err := e.RenderTyped(e.NewBudget(), "t", tc.text, nil)
			if got := limitError(t, tc.reason, err); got.Limit != "" {
				t.Errorf("%s: a template error is not a limit, got Limit %q", tc.reason, got.Limit)
			}
		})
	}
}

// TestRenderKeepsVarsAcyclic proves a template cannot set the variables it was given inside
// themselves: the caller prints and reuses them after the render.
func TestRenderKeepsVarsAcyclic(t *testing.T) {
	t.Parallel()
	vars := map[string]any{"a": map[string]any{}}
	e := New(Options{})
	_, err := e.RenderString("t", `{{ $_ := set .a "b" $ }}`, vars)
	if got := limitError(t, "set of the variables into themselves", err); got.Limit != LimitAlloc {
		t.Errorf("want Limit %q, got %#v", LimitAlloc, got)
	}
	if diff := cmp.Diff(map[string]any{"a": map[string]any{}}, vars); diff != "" {
		t.Errorf("the variables changed: -want, +got:\n%s", diff)
	}
}
