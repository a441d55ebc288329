package server

import "testing"

func TestGCPercent(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		flag    int
		gogc    string
		gogcSet bool
		want    int
		wantSet bool
	}{
		"Default":  {reason: "Without GOGC the flag's default applies.", flag: DefaultGCPercent, want: DefaultGCPercent, wantSet: true},
		"Flag":     {reason: "--gc-percent chooses another target.", flag: 150, want: 150, wantSet: true},
		"EnvWins":  {reason: "A GOGC in the environment is the operator's and is left alone.", flag: DefaultGCPercent, gogc: "50", gogcSet: true},
		"EnvEmpty": {reason: "An empty GOGC is no choice: the flag applies.", flag: DefaultGCPercent, gogcSet: true, want: DefaultGCPercent, wantSet: true},
		"Negative": {reason: "A negative flag keeps Go's own default.", flag: -1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, set := gcPercent(tc.flag, tc.gogc, tc.gogcSet)
			if got != tc.want || set != tc.wantSet {
				t.Errorf("%s\ngcPercent(%d, %q, %v) = %d, %v; want %d, %v", tc.reason, tc.flag, tc.gogc, tc.gogcSet, got, set, tc.want, tc.wantSet)
			}
		})
	}
}
