package template

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"

	"github.com/rowplane/rowplane/internal/contract"
)

// Functions sprig offers that a hermetic renderer must not: they read the process environment
// or resolve names over the network.
var forbidden = []string{"env", "expandenv", "getHostByName"}

// Bounds on sprig functions whose size is set by their arguments, so a template cannot ask for
// a billion-element list or string before the output limit can see it.
const (
	maxListLength = 10000
	maxRepeat     = 1 << 20
)

func boundedRepeat(count int, s string) (string, error) {
	if count < 0 || int64(count)*int64(len(s)) > maxRepeat || count > maxRepeat {
		return "", fmt.Errorf("%d copies of %d bytes is over the limit of %d bytes", count, len(s), maxRepeat)
	}
	return strings.Repeat(s, count), nil
}

// funcMap returns the function map of an engine. now and random come from the engine's options
// so renders can be made deterministic.
func funcMap(now func() time.Time, random io.Reader) template.FuncMap {
	fm := sprig.TxtFuncMap()
	for _, name := range forbidden {
		delete(fm, name)
	}
	fm["now"] = now
	fm["until"] = until
	fm["untilStep"] = untilStep
	fm["seq"] = seq
	fm["repeat"] = boundedRepeat
	// text/template's printing functions, replaced so they are bounded like the others.
	fm["print"] = fmt.Sprint
	fm["printf"] = fmt.Sprintf
	fm["println"] = fmt.Sprintln
	fm["html"] = template.HTMLEscaper
	fm["js"] = template.JSEscaper
	fm["urlquery"] = template.URLQueryEscaper
	for name, fn := range randFuncs(random) {
		fm[name] = fn
	}

	// Lynq's functions.
	fm["toHost"] = toHost
	fm["trunc63"] = trunc63
	fm["fromJson"] = fromJSON
	fm[FuncInt] = toInt
	fm[FuncFloat] = toFloat
	fm[FuncBool] = toBool
	return fm
}

// Names of the typed functions: a value that is one expression ending in one of them keeps the
// type (see Typed).
const (
	FuncInt   = "int"
	FuncFloat = "float"
	FuncBool  = "bool"
)

// toHost is Lynq's toHost template function; the rule itself is the Hub–Form contract's,
// because the same rule also fills in the .host variable on both sides.
func toHost(v any) string { return contract.Host(fmt.Sprint(nilEmpty(v))) }

// trunc63 cuts a string to 63 characters, the length of a DNS label.
func trunc63(v any) string {
	s := fmt.Sprint(nilEmpty(v))
	if len(s) > 63 {
		return s[:63]
	}
	return s
}

// fromJSON parses a JSON document. As in Lynq, a document that does not parse yields an empty
// map; a value that is already an object (a JSON column) is returned as it is.
func fromJSON(v any) any {
	switch t := v.(type) {
	case map[string]any, []any:
		return t
	case nil:
		return map[string]any{}
	}
	var out any
	if err := json.Unmarshal([]byte(fmt.Sprint(v)), &out); err != nil {
		return map[string]any{}
	}
	return out
}

// toInt converts numbers, booleans and numeric strings to an int64. Unlike sprig's int it
// refuses what is not a number, so a typo'd column does not silently become 0.
func toInt(v any) (int64, error) {
	switch t := v.(type) {
	case int:
		return int64(t), nil
	case int32:
		return int64(t), nil
	case int64:
		return t, nil
	case uint, uint32, uint64:
		u, _ := strconv.ParseUint(fmt.Sprint(t), 10, 64)
		if u > math.MaxInt64 {
			return 0, fmt.Errorf("%d does not fit in a 64-bit integer", u)
		}
		return int64(u), nil
	case float32, float64:
		f := reflectFloat(t)
		if f != math.Trunc(f) || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, fmt.Errorf("%v is not a whole number", f)
		}
		return int64(f), nil
	case bool:
		if t {
			return 1, nil
		}
		return 0, nil
	case json.Number:
		return toInt(string(t))
	case string:
		s := strings.TrimSpace(t)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		if f, ok := new(big.Float).SetString(s); ok && f.IsInt() {
			if i, acc := f.Int64(); acc == big.Exact {
				return i, nil
			}
		}
		return 0, fmt.Errorf("%s is not a number", quote(t))
	case nil:
		return 0, fmt.Errorf("the value is empty (an absent variable or NULL column?); give one with default, e.g. {{ .x | default 20 | int }}")
	}
	return 0, fmt.Errorf("%T is not a number", v)
}

// toFloat converts numbers and numeric strings to a float64, refusing anything else.
func toFloat(v any) (float64, error) {
	switch t := v.(type) {
	case int, int32, int64, uint, uint32, uint64, float32, float64:
		return reflectFloat(t), nil
	case json.Number:
		return toFloat(string(t))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil {
			return 0, fmt.Errorf("%s is not a number", quote(t))
		}
		return f, nil
	case nil:
		return 0, fmt.Errorf("the value is empty (an absent variable or NULL column?); give one with default")
	}
	return 0, fmt.Errorf("%T is not a number", v)
}

// toBool converts booleans, 0/1 and the words true/false/yes/no (any case) to a bool.
func toBool(v any) (bool, error) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case int, int32, int64, uint, uint32, uint64, float32, float64:
		f := reflectFloat(t)
		if f == 0 || f == 1 {
			return f == 1, nil
		}
		return false, fmt.Errorf("%v is neither 0 nor 1", f)
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "yes", "1":
			return true, nil
		case "false", "no", "0":
			return false, nil
		}
		return false, fmt.Errorf("%s is not a boolean (true, false, yes, no, 1, 0)", quote(t))
	case nil:
		return false, fmt.Errorf("the value is empty (an absent variable or NULL column?); give one with default")
	}
	return false, fmt.Errorf("%T is not a boolean", v)
}

func reflectFloat(v any) float64 {
	f, _ := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f
}

func nilEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}
