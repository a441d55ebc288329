package render

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// yamlSignificant reports whether r, inside a value written into a manifest, can change the
// YAML around it: line breaks and other control characters end or indent a line, and the
// indicators open flow collections, comments, quotes, anchors, aliases, tags, block scalars
// and directives. A '-' counts only at the start of a value (see tainted).
func yamlSignificant(r rune) bool {
	switch r {
	case ':', '#', '"', '\'', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '\\', '?',
		'\u0085', '\u2028', '\u2029', '\ufeff':
		return true
	}
	return r < 0x20 || r == 0x7f
}

// tainted reports whether s holds a character that could change a manifest's structure if a
// template wrote s unescaped. A '-' counts only where it can start a sequence entry or a
// document marker (see leadingDashes), so "-1" stays honest.
func tainted(s string) bool {
	return leadingDashes(s) > 0 || strings.IndexFunc(s, yamlSignificant) >= 0 || !utf8.ValidString(s)
}

// leadingDashes returns the length of the run of dashes after s's leading spaces when it
// could start a sequence entry ("- a", a lone "-") or a document marker ("---"), else 0.
func leadingDashes(s string) int {
	t := strings.TrimLeft(s, " ")
	n := len(t) - len(strings.TrimLeft(t, "-"))
	if n == 0 || (n == 1 && len(t) > 1 && t[1] != ' ') {
		return 0
	}
	return n
}

// clean replaces every character tainted looks for with '_', so the value renders as plain
// text wherever a template puts it.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dashes := leadingDashes(s)
	for _, r := range s {
		switch {
		case r == '-' && dashes > 0:
			b.WriteByte('_')
			dashes--
		case r == utf8.RuneError, yamlSignificant(r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// taintedValue reports whether v, or any string or key below it, is tainted.
func taintedValue(v any) bool {
	switch t := v.(type) {
	case string:
		return tainted(t)
	case map[string]any:
		for k, e := range t {
			if tainted(k) || taintedValue(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if taintedValue(e) {
				return true
			}
		}
	}
	return false
}

// cleanValue returns a copy of v with every string and key cleaned. Values that are not
// tainted are shared, not copied.
func cleanValue(v any) any {
	if !taintedValue(v) {
		return v
	}
	switch t := v.(type) {
	case string:
		return clean(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[clean(k)] = cleanValue(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cleanValue(e)
		}
		return out
	}
	return v
}

// taintedChains returns the variables a template reads (refs) whose value is tainted, as
// paths from the root of vars. It is the hot-path test: when it returns nothing, a second
// render with cleaned values would be the same text, so there is nothing to compare.
func taintedChains(rf *refs, vars map[string]any) [][]string {
	var out [][]string
	if rf.all {
		for k, v := range vars {
			if taintedValue(v) {
				out = append(out, []string{k})
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
		return out
	}
	for _, c := range rf.chains {
		if v, ok := lookup(vars, c); ok && taintedValue(v) {
			out = append(out, c)
		}
	}
	return out
}

// lookup follows chain through nested maps. A chain that goes past a non-map value stops
// there: the template reads that value (and fails on the rest).
func lookup(vars map[string]any, chain []string) (any, bool) {
	var cur any = vars
	for i, k := range chain {
		m, ok := cur.(map[string]any)
		if !ok {
			return cur, i > 0
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// cleanedVars returns vars with the values at chains cleaned; the maps along each chain are
// copied, everything else is shared with vars.
func cleanedVars(vars map[string]any, chains [][]string) map[string]any {
	out := vars
	for _, c := range chains {
		out = cleanAt(out, c)
	}
	return out
}

func cleanAt(m map[string]any, chain []string) map[string]any {
	cp := make(map[string]any, len(m))
	for k, v := range m {
		cp[k] = v
	}
	v, ok := m[chain[0]]
	if !ok {
		return cp
	}
	if sub, isMap := v.(map[string]any); isMap && len(chain) > 1 {
		cp[chain[0]] = cleanAt(sub, chain[1:])
	} else {
		cp[chain[0]] = cleanValue(v)
	}
	return cp
}

// taintedLeaves names up to max tainted strings below the value at chain, as dotted paths,
// so an error can say which value did it.
func taintedLeaves(vars map[string]any, chain []string, limit int) []string {
	v, _ := lookup(vars, chain)
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if len(out) >= limit {
			return
		}
		switch t := v.(type) {
		case string:
			if tainted(t) {
				out = append(out, prefix)
			}
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(prefix+"."+k, t[k])
			}
		case []any:
			for i, e := range t {
				walk(prefix+"["+strconv.Itoa(i)+"]", e)
			}
		}
	}
	walk(strings.Join(chain, "."), v)
	return out
}
