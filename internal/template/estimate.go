package template

import (
	"math"
	"reflect"
	"strings"
	"unicode/utf8"
)

// mutators change their first argument in place; a call is charged what it added to it.
var mutators = map[string]bool{"set": true, "unset": true, "merge": true, "mustMerge": true,
	"mergeOverwrite": true, "mustMergeOverwrite": true}

// estimators bound what functions whose result can be far bigger than their arguments build,
// computed from the arguments before the call.
var estimators = map[string]func(a []reflect.Value, limit int64) int64{
	"repeat":  func(a []reflect.Value, limit int64) int64 { return mul(num(a[0]), int64(len(str(a[1])))) },
	"indent":  indentSize,
	"nindent": func(a []reflect.Value, limit int64) int64 { return indentSize(a, limit) + 1 },
	"replace": func(a []reflect.Value, limit int64) int64 {
		old, repl, src := str(a[0]), str(a[1]), str(a[2])
		return add(int64(len(src)), mul(occurrences(src, old), int64(max(0, len(repl)-len(old)))))
	},
	"regexReplaceAll":            regexSize(true),
	"mustRegexReplaceAll":        regexSize(true),
	"regexReplaceAllLiteral":     regexSize(false),
	"mustRegexReplaceAllLiteral": regexSize(false),
	"wrapWith": func(a []reflect.Value, limit int64) int64 {
		width, sep, s := max(num(a[0]), 1), str(a[1]), str(a[2])
		return add(int64(len(s)), mul(int64(len(s))/width+1, int64(len(sep))))
	},
	"join": func(a []reflect.Value, limit int64) int64 {
		return add(sizeOf(a[1], limit), mul(int64(length(a[1])), int64(len(str(a[0])))))
	},
	"printf":       printfSize,
	"split":        splitSize(0, 1, 64),
	"splitList":    splitSize(0, 1, 16),
	"splitn":       splitSize(0, 2, 64),
	"regexSplit":   regexPieces,
	"regexFindAll": regexPieces,
}

// maxCallWork bounds the comparisons one call of a function that compares every pair of its
// elements may make: the deadline is checked between calls, not inside one.
const maxCallWork = 10_000_000

// work bounds how many element comparisons functions whose cost grows faster than their
// arguments (sprig compares with reflect.DeepEqual, pair by pair) would make.
var work = map[string]func(a []reflect.Value) int64{
	"uniq":        func(a []reflect.Value) int64 { n := int64(length(a[0])); return mul(n, n) / 2 },
	"mustUniq":    func(a []reflect.Value) int64 { n := int64(length(a[0])); return mul(n, n) / 2 },
	"without":     func(a []reflect.Value) int64 { return mul(int64(length(a[0])), int64(len(a)-1)) },
	"mustWithout": func(a []reflect.Value) int64 { return mul(int64(length(a[0])), int64(len(a)-1)) },
}

func indentSize(a []reflect.Value, _ int64) int64 {
	n, s := num(a[0]), str(a[1])
	return add(int64(len(s)), mul(max(n, 0), int64(strings.Count(s, "\n")+1)))
}

// regexSize bounds a regex replacement: every match (at most one per byte, plus one) becomes
// repl, and with expansion each $ reference copies at most the whole input across all matches.
func regexSize(expand bool) func(a []reflect.Value, limit int64) int64 {
	return func(a []reflect.Value, limit int64) int64 {
		s, repl := str(a[1]), str(a[2])
		n := add(int64(len(s)), mul(int64(len(s))+1, int64(len(repl))))
		if expand {
			n = add(n, mul(int64(strings.Count(repl, "$")), int64(len(s))))
		}
		return n
	}
}

// splitSize bounds the list or dict a split builds: perElem bytes per piece plus the pieces.
func splitSize(sepArg, strArg int, perElem int64) func(a []reflect.Value, limit int64) int64 {
	return func(a []reflect.Value, limit int64) int64 {
		s := str(a[strArg])
		return add(int64(len(s)), mul(occurrences(s, str(a[sepArg]))+1, perElem))
	}
}

func regexPieces(a []reflect.Value, _ int64) int64 {
	s := str(a[1])
	return add(int64(len(s)), mul(int64(len(s))+1, 16))
}

// printfSize bounds printf: the format, the arguments, and every width or precision the format
// asks for (fmt caps each at 10^6, also when given by *).
func printfSize(a []reflect.Value, limit int64) int64 {
	format := str(a[0])
	n := int64(len(format))
	for _, v := range a[1:] {
		n = add(n, sizeOf(v, limit))
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		var num int64
		for i++; i < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[i]) >= 0; i++ {
			switch c := format[i]; {
			case c == '*':
				n = add(n, 1_000_000)
			case c >= '0' && c <= '9':
				num = min(num*10+int64(c-'0'), 1_000_000)
			default:
				n, num = add(n, num), 0
			}
		}
		n = add(n, num)
	}
	return n
}

func occurrences(s, sep string) int64 {
	if sep == "" {
		return int64(utf8.RuneCountInString(s)) + 1
	}
	return int64(strings.Count(s, sep))
}

func str(v reflect.Value) string {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.String {
		return v.String()
	}
	return ""
}

func num(v reflect.Value) int64 {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.CanInt() {
		return v.Int()
	}
	return 0
}

func length(v reflect.Value) int {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return v.Len()
	}
	return 0
}

// add and mul saturate, so an estimate from hostile arguments cannot wrap around to small.
func add(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func mul(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}
