package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

func TestQuote(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		in     string
		want   string
	}{
		"Short":   {reason: "a short value is quoted whole", in: "fifty", want: `"fifty"`},
		"AtLimit": {reason: "exactly MaxQuoted characters are quoted whole", in: strings.Repeat("x", MaxQuoted), want: `"` + strings.Repeat("x", MaxQuoted) + `"`},
		"Long":    {reason: "a long value is cut and its length given", in: strings.Repeat("x", 400<<10), want: `"` + strings.Repeat("x", MaxQuoted) + `"... (409600 bytes)`},
		"Runes":   {reason: "the cut falls between characters, never inside one", in: strings.Repeat("é", 100), want: `"` + strings.Repeat("é", MaxQuoted) + `"... (200 bytes)`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, Quote(tc.in)); diff != "" {
				t.Errorf("%s\nQuote: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestCoerceErrorIsBounded proves a huge value that does not fit its field gives a short error,
// whatever the field's type.
func TestCoerceErrorIsBounded(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("9x", 200<<10)
	enum := &extv1.JSONSchemaProps{Type: "string", Enum: []extv1.JSON{{Raw: []byte(`"basic"`)}}}
	for _, s := range []*extv1.JSONSchemaProps{{Type: "integer"}, {Type: "number"}, {Type: "boolean"}, enum} {
		_, err := Coerce(huge, s)
		if err == nil {
			t.Fatalf("%s: want an error for a %d-byte value", s.Type, len(huge))
		}
		if len(err.Error()) > 4*MaxQuoted {
			t.Errorf("%s: error is %d bytes, want at most %d", s.Type, len(err.Error()), 4*MaxQuoted)
		}
	}
}
