package mysql

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/errors"
)

// kind is how a column's values are typed.
type kind int

const (
	kindString kind = iota
	kindBool
	kindInt
	kindDecimal
	kindFloat
	kindDate
	kindDateTime
	kindJSON
	kindBitBool
	kindBitInt
)

// kindOf maps an information_schema COLUMN_TYPE to a kind.
func kindOf(columnType string) kind {
	t := strings.TrimSpace(columnType)
	base := t
	if i := strings.IndexAny(t, "( "); i >= 0 {
		base = t[:i]
	}
	switch base {
	case "tinyint":
		// BOOLEAN is an alias of TINYINT(1): the width is the only trace of the intent.
		if strings.HasPrefix(t, "tinyint(1)") {
			return kindBool
		}
		return kindInt
	case "bit":
		if strings.HasPrefix(t, "bit(1)") {
			return kindBitBool
		}
		return kindBitInt
	case "smallint", "mediumint", "int", "integer", "bigint", "year":
		return kindInt
	case "decimal", "numeric", "dec", "fixed":
		return kindDecimal
	case "float", "double", "real":
		return kindFloat
	case "date":
		return kindDate
	case "datetime", "timestamp":
		return kindDateTime
	case "json":
		return kindJSON
	default:
		return kindString
	}
}

// convert turns what the driver scanned into the kind's Go type. NULL stays nil.
func (k kind) convert(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindBool:
		n, err := toInt(v)
		if err != nil {
			return nil, err
		}
		return n != 0, nil
	case kindInt:
		return toIntOrNumber(v)
	case kindBitBool, kindBitInt:
		n, err := bits(v)
		if err != nil || k == kindBitInt {
			return n, err
		}
		return n != 0, nil
	case kindDecimal:
		return json.Number(strings.TrimSpace(text(v))), nil
	case kindFloat:
		switch f := v.(type) {
		case float64:
			return f, nil
		case float32:
			return float64(f), nil
		}
		return strconv.ParseFloat(text(v), 64)
	case kindDate:
		if t, ok := v.(time.Time); ok {
			return t.Format(time.DateOnly), nil
		}
		return text(v), nil
	case kindDateTime:
		if t, ok := v.(time.Time); ok {
			return t.UTC().Format(time.RFC3339Nano), nil
		}
		return text(v), nil
	case kindJSON:
		var out any
		if err := json.Unmarshal([]byte(text(v)), &out); err != nil {
			return nil, errors.Wrap(err, "invalid JSON")
		}
		return out, nil
	default:
		return text(v), nil
	}
}

func text(v any) string {
	switch s := v.(type) {
	case []byte:
		return string(s)
	case string:
		return s
	case time.Time:
		return s.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(v)
	}
}

func toInt(v any) (int64, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case uint64:
		if n > math.MaxInt64 {
			return 0, fmt.Errorf("integer %d out of range", n)
		}
		return int64(n), nil
	}
	return strconv.ParseInt(strings.TrimSpace(text(v)), 10, 64)
}

// toIntOrNumber keeps unsigned BIGINTs above MaxInt64 exact as a json.Number.
func toIntOrNumber(v any) (any, error) {
	n, err := toInt(v)
	if err == nil {
		return n, nil
	}
	s := strings.TrimSpace(text(v))
	if _, uerr := strconv.ParseUint(s, 10, 64); uerr == nil {
		return json.Number(s), nil
	}
	return nil, err
}

// bits decodes a BIT column, which the driver returns as big-endian bytes.
func bits(v any) (int64, error) {
	b, ok := v.([]byte)
	if !ok {
		return toInt(v)
	}
	if len(b) > 8 {
		return 0, fmt.Errorf("BIT value of %d bytes out of range", len(b))
	}
	var x uint64
	for _, c := range b {
		x = x<<8 | uint64(c)
	}
	if x > math.MaxInt64 {
		return 0, fmt.Errorf("BIT value %d out of range", x)
	}
	return int64(x), nil
}
