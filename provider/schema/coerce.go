// Package schema fits typed row values to the OpenAPI schema of a target kind, read from its
// CustomResourceDefinition, so a claim gets an integer where its XRD says integer and a value
// that cannot fit is reported for its row instead of failing the whole sync.
package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/pkg/errors"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// Coerce converts v to what s describes. nil means absent and is returned as nil. A nil schema,
// or one that preserves unknown fields without a type, accepts v as it is.
func Coerce(v any, s *extv1.JSONSchemaProps) (any, error) {
	if v == nil || s == nil {
		return v, nil
	}
	if s.XIntOrString {
		return intOrString(v)
	}
	var out any
	var err error
	switch s.Type {
	case "string":
		out, err = toString(v)
	case "integer":
		out, err = toInteger(v)
	case "number":
		out, err = toNumber(v)
	case "boolean":
		out, err = toBool(v)
	case "object":
		out, err = toObject(v, s)
	case "array":
		out, err = toArray(v, s)
	default:
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	if err := checkEnum(out, s); err != nil {
		return nil, err
	}
	return out, nil
}

func toString(v any) (any, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case json.Number:
		return x.String(), nil
	case map[string]any, []any:
		b, err := json.Marshal(x)
		return string(b), err
	}
	return nil, fmt.Errorf("cannot use %T as a string", v)
}

func toInteger(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case bool:
		return nil, fmt.Errorf("boolean %t is not an integer", x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), nil
		}
		return nil, fmt.Errorf("%v is not an integer", x)
	case json.Number:
		return integerFromText(x.String())
	case string:
		return integerFromText(strings.TrimSpace(x))
	}
	return nil, fmt.Errorf("%T is not an integer", v)
}

// integerFromText accepts "50" and "50.00" (a DECIMAL with a zero fraction), nothing else.
func integerFromText(s string) (any, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if i := strings.IndexByte(s, '.'); i > 0 && strings.Trim(s[i+1:], "0") == "" {
		if n, err := strconv.ParseInt(s[:i], 10, 64); err == nil {
			return n, nil
		}
	}
	return nil, fmt.Errorf("%s is not an integer", Quote(s))
}

func toNumber(v any) (any, error) {
	switch x := v.(type) {
	case int64, float64:
		return x, nil
	case json.Number:
		if _, err := x.Float64(); err != nil {
			return nil, fmt.Errorf("%s is not a number", Quote(x.String()))
		}
		return x, nil
	case string:
		n := json.Number(strings.TrimSpace(x))
		if _, err := n.Float64(); err != nil {
			return nil, fmt.Errorf("%s is not a number", Quote(x))
		}
		return n, nil
	}
	return nil, fmt.Errorf("%T is not a number", v)
}

func toBool(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case json.Number:
		return toBool(x.String())
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "1", "true":
			return true, nil
		case "0", "false":
			return false, nil
		}
	}
	return nil, fmt.Errorf("%s is not a boolean (want true, false, 1 or 0)", Quote(fmt.Sprint(v)))
}

func toObject(v any, s *extv1.JSONSchemaProps) (any, error) {
	if str, ok := v.(string); ok {
		var decoded any
		if err := json.Unmarshal([]byte(str), &decoded); err != nil {
			return nil, errors.Wrap(err, "text is not a JSON object")
		}
		v = decoded
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%T is not an object", v)
	}
	out := make(map[string]any, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sub := propertySchema(s, k)
		c, err := Coerce(normalize(m[k]), sub)
		if err != nil {
			return nil, errors.Wrapf(err, "%s", k)
		}
		if c != nil {
			out[k] = c
		}
	}
	return out, nil
}

func toArray(v any, s *extv1.JSONSchemaProps) (any, error) {
	if str, ok := v.(string); ok {
		var decoded any
		if err := json.Unmarshal([]byte(str), &decoded); err != nil {
			return nil, errors.Wrap(err, "text is not a JSON array")
		}
		v = decoded
	}
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%T is not an array", v)
	}
	var item *extv1.JSONSchemaProps
	if s.Items != nil {
		item = s.Items.Schema
	}
	out := make([]any, len(a))
	for i, e := range a {
		c, err := Coerce(normalize(e), item)
		if err != nil {
			return nil, errors.Wrapf(err, "[%d]", i)
		}
		out[i] = c
	}
	return out, nil
}

func intOrString(v any) (any, error) {
	switch x := v.(type) {
	case int64, string:
		return x, nil
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		return x.String(), nil
	case float64:
		if x == math.Trunc(x) {
			return int64(x), nil
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	}
	return nil, fmt.Errorf("%T is neither an integer nor a string", v)
}

// normalize turns encoding/json's float64 for whole numbers inside decoded JSON into int64, which
// is what unstructured objects use for integers.
func normalize(v any) any {
	if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return v
}

// propertySchema returns the schema of key k of an object schema, nil when anything goes.
func propertySchema(s *extv1.JSONSchemaProps, k string) *extv1.JSONSchemaProps {
	if p, ok := s.Properties[k]; ok {
		return &p
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		return s.AdditionalProperties.Schema
	}
	return nil
}

func checkEnum(v any, s *extv1.JSONSchemaProps) error {
	if len(s.Enum) == 0 {
		return nil
	}
	got, _ := json.Marshal(v) //nolint:errchkjson // coerced values always marshal.
	allowed := make([]string, 0, len(s.Enum))
	for _, e := range s.Enum {
		if string(e.Raw) == string(got) {
			return nil
		}
		allowed = append(allowed, string(e.Raw))
	}
	return fmt.Errorf("%s is not one of %s", Quote(string(got)), strings.Join(allowed, ", "))
}
