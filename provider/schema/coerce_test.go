package schema

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

func TestCoerce(t *testing.T) {
	t.Parallel()
	str := &extv1.JSONSchemaProps{Type: "string"}
	integer := &extv1.JSONSchemaProps{Type: "integer"}
	boolean := &extv1.JSONSchemaProps{Type: "boolean"}
	number := &extv1.JSONSchemaProps{Type: "number"}
	enum := &extv1.JSONSchemaProps{Type: "string", Enum: []extv1.JSON{{Raw: []byte(`"basic"`)}, {Raw: []byte(`"pro"`)}}}
	object := &extv1.JSONSchemaProps{Type: "object", Properties: map[string]extv1.JSONSchemaProps{"size": {Type: "integer"}}}
	cases := map[string]struct {
		reason  string
		in      any
		schema  *extv1.JSONSchemaProps
		want    any
		wantErr bool
	}{
		"Nil":             {reason: "NULL stays absent", in: nil, schema: integer, want: nil},
		"IntToString":     {reason: "a number fits a string field as text", in: int64(50), schema: str, want: "50"},
		"BoolToString":    {reason: "a boolean fits a string field as text", in: true, schema: str, want: "true"},
		"TextToInt":       {reason: "digits in a VARCHAR fit an integer field", in: "50", schema: integer, want: int64(50)},
		"DecimalToInt":    {reason: "a DECIMAL with a zero fraction fits an integer", in: json.Number("50.00"), schema: integer, want: int64(50)},
		"FractionToInt":   {reason: "a fraction does not fit an integer", in: json.Number("50.5"), schema: integer, wantErr: true},
		"WordToInt":       {reason: "a word does not fit an integer", in: "fifty", schema: integer, wantErr: true},
		"BoolToInt":       {reason: "a boolean does not fit an integer", in: true, schema: integer, wantErr: true},
		"TinyIntToBool":   {reason: "0 and 1 fit a boolean", in: int64(1), schema: boolean, want: true},
		"TextToBool":      {reason: "'false' fits a boolean", in: "FALSE", schema: boolean, want: false},
		"TwoToBool":       {reason: "2 does not fit a boolean", in: int64(2), schema: boolean, wantErr: true},
		"DecimalToNumber": {reason: "a DECIMAL keeps its digits in a number field", in: json.Number("12.50"), schema: number, want: json.Number("12.50")},
		"EnumOK":          {reason: "an allowed enum value passes", in: "pro", schema: enum, want: "pro"},
		"EnumBad":         {reason: "a value outside the enum is an error naming the allowed values", in: "gold", schema: enum, wantErr: true},
		"JSONText":        {reason: "JSON text (MariaDB's JSON is LONGTEXT) fits an object", in: `{"size": 3}`, schema: object, want: map[string]any{"size": int64(3)}},
		"BadJSONText":     {reason: "text that is not JSON does not fit an object", in: `nope`, schema: object, wantErr: true},
		"NoSchema":        {reason: "no schema accepts anything", in: "x", schema: nil, want: "x"},
		"IntOrString":     {reason: "int-or-string keeps integers", in: json.Number("8"), schema: &extv1.JSONSchemaProps{XIntOrString: true}, want: int64(8)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Coerce(tc.in, tc.schema)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\nCoerce(%v): error %v, want error %t", tc.reason, tc.in, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nCoerce(%v): -want +got:\n%s", tc.reason, tc.in, diff)
			}
		})
	}
}

func TestField(t *testing.T) {
	t.Parallel()
	preserve := true
	k := &Kind{Root: &extv1.JSONSchemaProps{Type: "object", Properties: map[string]extv1.JSONSchemaProps{
		"spec": {Type: "object", Properties: map[string]extv1.JSONSchemaProps{
			"size":       {Type: "integer"},
			"parameters": {Type: "object", XPreserveUnknownFields: &preserve},
		}},
	}}}
	cases := map[string]struct {
		reason   string
		path     string
		wantType string
		wantOK   bool
	}{
		"Known":    {reason: "a declared field is found", path: "spec.size", wantType: "integer", wantOK: true},
		"Missing":  {reason: "an undeclared field is reported", path: "spec.colour", wantOK: false},
		"Preserve": {reason: "below a preserve-unknown-fields object anything goes", path: "spec.parameters.x", wantOK: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, ok := k.Field(tc.path)
			got := ""
			if s != nil {
				got = s.Type
			}
			if ok != tc.wantOK || got != tc.wantType {
				t.Errorf("%s\nField(%q) = (%q, %t), want (%q, %t)", tc.reason, tc.path, got, ok, tc.wantType, tc.wantOK)
			}
		})
	}
}
