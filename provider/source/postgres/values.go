package postgres

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
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
)

// kindOf maps a pg_type name to a kind.
func kindOf(typname string) kind {
	switch typname {
	case "bool":
		return kindBool
	case "int2", "int4", "int8":
		return kindInt
	case "numeric":
		return kindDecimal
	case "float4", "float8":
		return kindFloat
	case "date":
		return kindDate
	case "timestamp", "timestamptz":
		return kindDateTime
	case "json", "jsonb":
		return kindJSON
	default:
		return kindString
	}
}

// selectExpr is what to select for a quoted column. Kinds decoded from text are cast to text by
// the server: its output is exact for numeric, the shortest that round-trips for floats (a
// float4 1.1 stays 1.1 instead of becoming 1.100000023841858), and defined for every other
// type, enums and domains included.
func (k kind) selectExpr(quoted string) string {
	switch k {
	case kindBool, kindInt, kindDate, kindDateTime:
		return quoted
	default:
		return quoted + "::text"
	}
}

// convert turns what pgx decoded into the kind's Go type. NULL stays nil.
func (k kind) convert(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch x := v.(type) {
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64, bool:
		return x, nil
	case time.Time:
		if k == kindDate {
			return x.Format(time.DateOnly), nil
		}
		return x.UTC().Format(time.RFC3339Nano), nil
	case pgtype.InfinityModifier:
		// No instant or date to format: PostgreSQL's own spelling, "infinity" or "-infinity".
		return x.String(), nil
	case string:
		return k.fromText(x)
	}
	return nil, fmt.Errorf("unexpected %T for a %s column", v, k)
}

func (k kind) fromText(s string) (any, error) {
	switch k {
	case kindDecimal:
		if s == "NaN" || s == "Infinity" || s == "-Infinity" {
			return nil, fmt.Errorf("numeric %s is not a number JSON can hold", s)
		}
		return json.Number(s), nil
	case kindFloat:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("float %s is not a number JSON can hold", s)
		}
		return f, nil
	case kindJSON:
		var out any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, errors.Wrap(err, "invalid JSON")
		}
		return out, nil
	default:
		return s, nil
	}
}

func (k kind) String() string {
	return [...]string{"text", "bool", "integer", "numeric", "float", "date", "timestamp", "json"}[k]
}
