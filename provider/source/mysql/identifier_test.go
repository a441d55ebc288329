package mysql

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuoteTable(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		table   string
		want    string
		wantErr bool
	}{
		"Plain":       {reason: "a plain name is backtick-quoted", table: "nodes", want: "`nodes`"},
		"Qualified":   {reason: "db.table quotes both parts", table: "nodes_db.nodes", want: "`nodes_db`.`nodes`"},
		"Dollar":      {reason: "$ and digits are identifier characters", table: "t$1", want: "`t$1`"},
		"Injection":   {reason: "anything that could end the statement is refused", table: "nodes; DROP TABLE x", wantErr: true},
		"Backtick":    {reason: "a backtick is refused before quoting", table: "no`des", wantErr: true},
		"TwoDots":     {reason: "only one qualifier is allowed", table: "a.b.c", wantErr: true},
		"Empty":       {reason: "an empty name is refused", table: "", wantErr: true},
		"EmptyPart":   {reason: "an empty qualifier is refused", table: ".nodes", wantErr: true},
		"TooLong":     {reason: "names longer than MySQL's 64 characters are refused", table: string(make([]byte, 65)), wantErr: true},
		"Space":       {reason: "spaces are refused", table: "my table", wantErr: true},
		"Unicode":     {reason: "non-ASCII letters are refused", table: "nødes", wantErr: true},
		"CommentOpen": {reason: "comment openers are refused", table: "a/*", wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := QuoteTable(tc.table)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\nQuoteTable(%q): error %v, want error %t", tc.reason, tc.table, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nQuoteTable(%q): -want +got:\n%s", tc.reason, tc.table, diff)
			}
		})
	}
}

func FuzzQuoteIdentifier(f *testing.F) {
	for _, s := range []string{"nodes", "a`b", "x; DROP", "", "$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := QuoteIdentifier(s)
		if err != nil {
			return
		}
		inner := q[1 : len(q)-1]
		for _, c := range inner {
			if !(c == '_' || c == '$' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				t.Fatalf("QuoteIdentifier(%q) = %q lets %q through", s, q, c)
			}
		}
	})
}
