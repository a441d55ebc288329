package policy

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"
)

// A Segment is one step of a Path: a map key, a list index when IsIndex is true, or every
// element of a list (every value of a map) when Wildcard is true.
type Segment struct {
	Key      string
	Index    int
	IsIndex  bool
	Wildcard bool
}

// A Path is a parsed ignoreFields JSONPath.
//
// This is our own parser, not crossplane-runtime's fieldpath, on purpose: ignoreFields come
// from LynqForms, which write JSONPath ("$." prefix, quoted bracket keys with escapes such as
// ['example.com/tier']), while fieldpath reads its own syntax (no "$", unquoted bracket keys,
// a bracketed number is a key or an index depending on the object). fieldpath can expand
// [*] (Paved.ExpandWildcards), but its SetValue grows lists and creates elements, and
// ignoreFields must never invent a list element the render lacks. Translating the syntax and
// guarding the writes would cost as much code as this parser, with two grammars to explain.
type Path []Segment

// ParsePath parses the JSONPath subset ignoreFields accepts: "$" followed by ".key",
// "[index]", "[*]" and "['key']" (or ["key"]) steps, e.g. $.spec.replicas,
// $.spec.template.spec.containers[0].image, $.spec.template.spec.containers[*].resources or
// $.metadata.labels['example.com/tier']. Inside quotes a backslash escapes the quote or a
// backslash. Slices and filters are not supported.
func ParsePath(s string) (Path, error) {
	if !strings.HasPrefix(s, "$") {
		return nil, errors.Errorf("path %q: must start with $", s)
	}
	var p Path
	for i := 1; i < len(s); {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && isKeyChar(s[j]) {
				j++
			}
			if j == i+1 {
				return nil, errors.Errorf("path %q: empty key at offset %d", s, i+1)
			}
			p = append(p, Segment{Key: s[i+1 : j]})
			i = j
		case '[':
			seg, n, err := parseBracket(s[i:])
			if err != nil {
				return nil, errors.Wrapf(err, "path %q: at offset %d", s, i)
			}
			p = append(p, seg)
			i += n
		default:
			return nil, errors.Errorf("path %q: unexpected %q at offset %d", s, s[i], i)
		}
	}
	return p, nil
}

// parseBracket parses "[0]", "['k']" or "[\"k\"]" at the start of s and returns the segment
// and the number of bytes read.
func parseBracket(s string) (Segment, int, error) {
	if len(s) < 2 {
		return Segment{}, 0, errors.New("unterminated [")
	}
	if q := s[1]; q == '\'' || q == '"' {
		var b strings.Builder
		for i := 2; i < len(s); i++ {
			switch c := s[i]; {
			case c == '\\':
				if i+1 >= len(s) || (s[i+1] != q && s[i+1] != '\\') {
					return Segment{}, 0, errors.New(`a backslash may only escape the quote or a backslash`)
				}
				b.WriteByte(s[i+1])
				i++
			case c == q:
				if i+1 >= len(s) || s[i+1] != ']' {
					return Segment{}, 0, errors.New("quoted key must be followed by ]")
				}
				return Segment{Key: b.String()}, i + 2, nil
			default:
				b.WriteByte(c)
			}
		}
		return Segment{}, 0, errors.New("unterminated quoted key")
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return Segment{}, 0, errors.New("unterminated [")
	}
	digits := s[1:end]
	if digits == "*" {
		return Segment{Wildcard: true}, end + 1, nil
	}
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return Segment{}, 0, errors.Errorf("index %q is not a non-negative integer or * (slices and filters are not supported)", digits)
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return Segment{}, 0, errors.Errorf("index %q is too large", digits)
	}
	return Segment{Index: n, IsIndex: true}, end + 1, nil
}

// isKeyChar reports whether c may appear in a dotted key. Keys with other characters (a
// label such as example.com/tier) need the bracket form.
func isKeyChar(c byte) bool {
	return c == '_' || c == '-' || c == '$' || c == '@' ||
		('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// String returns the canonical form of p, which ParsePath parses back to p.
func (p Path) String() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range p {
		switch {
		case s.Wildcard:
			b.WriteString("[*]")
		case s.IsIndex:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case s.Key != "" && isDottedKey(s.Key):
			b.WriteString("." + s.Key)
		default:
			r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
			b.WriteString("['" + r.Replace(s.Key) + "']")
		}
	}
	return b.String()
}

func isDottedKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if !isKeyChar(k[i]) {
			return false
		}
	}
	return true
}
