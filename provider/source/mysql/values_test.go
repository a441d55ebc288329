package mysql

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConvert(t *testing.T) {
	t.Parallel()
	ts := time.Date(2026, 7, 1, 12, 30, 0, 0, time.UTC)
	cases := map[string]struct {
		reason     string
		columnType string
		in         any
		want       any
		wantErr    bool
	}{
		"Null":          {reason: "NULL stays nil whatever the type", columnType: "int(11)", in: nil, want: nil},
		"BoolTrue":      {reason: "TINYINT(1) is a boolean", columnType: "tinyint(1)", in: int64(1), want: true},
		"BoolFalseText": {reason: "text-protocol bytes decode too", columnType: "tinyint(1)", in: []byte("0"), want: false},
		"TinyInt":       {reason: "a wider TINYINT stays an integer", columnType: "tinyint(4)", in: int64(7), want: int64(7)},
		"Int":           {reason: "integers are int64", columnType: "int(11)", in: []byte("50"), want: int64(50)},
		"BigUnsigned":   {reason: "unsigned values above MaxInt64 stay exact", columnType: "bigint(20) unsigned", in: []byte("18446744073709551615"), want: json.Number("18446744073709551615")},
		"Decimal":       {reason: "DECIMAL keeps its digits", columnType: "decimal(10,2)", in: []byte("12.50"), want: json.Number("12.50")},
		"Double":        {reason: "DOUBLE is float64", columnType: "double", in: float64(1.5), want: 1.5},
		"DateTime":      {reason: "DATETIME is RFC 3339 in UTC", columnType: "datetime", in: ts, want: "2026-07-01T12:30:00Z"},
		"Date":          {reason: "DATE is an RFC 3339 full-date", columnType: "date", in: ts, want: "2026-07-01"},
		"JSON":          {reason: "JSON columns decode to objects", columnType: "json", in: []byte(`{"a":[1,"b"]}`), want: map[string]any{"a": []any{1.0, "b"}}},
		"BadJSON":       {reason: "invalid JSON is an error", columnType: "json", in: []byte(`{`), wantErr: true},
		"Varchar":       {reason: "text is a string", columnType: "varchar(30)", in: []byte("db.t3.micro"), want: "db.t3.micro"},
		"BitBool":       {reason: "BIT(1) is a boolean from raw bytes", columnType: "bit(1)", in: []byte{1}, want: true},
		"BitInt":        {reason: "wider BITs are big-endian integers", columnType: "bit(16)", in: []byte{1, 0}, want: int64(256)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := kindOf(tc.columnType).convert(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\nconvert(%q, %v): error %v, want error %t", tc.reason, tc.columnType, tc.in, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nconvert(%q, %v): -want +got:\n%s", tc.reason, tc.columnType, tc.in, diff)
			}
		})
	}
}
