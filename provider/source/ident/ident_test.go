package ident

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuoteTable(t *testing.T) {
	t.Parallel()
	mysql := Dialect{Quote: "`", MaxLen: 64, Qualifier: "db"}
	pg := Dialect{Quote: `"`, MaxLen: 63, Qualifier: "schema"}
	cases := map[string]struct {
		reason string
		d      Dialect
		in     string
		want   string
		err    bool
	}{
		"MySQL":          {"backticks for MySQL", mysql, "nodes", "`nodes`", false},
		"Qualified":      {"one qualifier, each part quoted", pg, "tenants.nodes", `"tenants"."nodes"`, false},
		"CaseKept":       {"quoting keeps the case as written", pg, "Nodes", `"Nodes"`, false},
		"TwoDots":        {"only one qualifier", pg, "a.b.c", "", true},
		"Injection":      {"nothing that could end the statement", mysql, "nodes; DROP TABLE x", "", true},
		"QuoteInside":    {"a quote character never reaches quoting", pg, `no"des`, "", true},
		"EmptyPart":      {"an empty qualifier is refused", mysql, ".nodes", "", true},
		"LongestMySQL":   {"64 bytes fit MySQL", mysql, string(make64('a')), "`" + string(make64('a')) + "`", false},
		"TooLongForPG":   {"64 bytes are one over PostgreSQL's 63", pg, string(make64('a')), "", true},
		"NonASCIILetter": {"only ASCII letters", mysql, "nødes", "", true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.d.QuoteTable(tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("%s: QuoteTable(%q) error %v, want error %t", tc.reason, tc.in, err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func make64(c byte) []byte {
	b := make([]byte, 64)
	for i := range b {
		b[i] = c
	}
	return b
}
