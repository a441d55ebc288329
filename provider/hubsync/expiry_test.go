package hubsync

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/source"
)

func TestRowExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	type result struct {
		At      time.Time
		Expired bool
		Err     string // a substring of the error; empty for none
	}
	cases := map[string]struct {
		reason string
		column string
		in     any
		want   result
	}{
		"NoColumn": {
			reason: "a Hub without an expiresAt mapping never expires a row",
			in:     "2000-01-01T00:00:00Z",
		},
		"Null": {
			reason: "NULL never expires",
			column: "expires_at", in: nil,
		},
		"Past": {
			reason: "a DATETIME before the sync time is expired",
			column: "expires_at", in: "2026-07-01T11:59:59Z",
			want: result{At: now.Add(-time.Second), Expired: true},
		},
		"Now": {
			reason: "an expiry at exactly the sync time is expired (at or before)",
			column: "expires_at", in: "2026-07-01T12:00:00Z",
			want: result{At: now, Expired: true},
		},
		"Future": {
			reason: "an expiry after the sync time is not expired yet",
			column: "expires_at", in: "2026-07-01T12:00:01.5Z",
			want: result{At: now.Add(1500 * time.Millisecond)},
		},
		"Offset": {
			reason: "an RFC 3339 string with an offset is compared as an instant and given in UTC",
			column: "expires_at", in: "2026-07-01T13:30:00+02:00",
			want: result{At: now.Add(-30 * time.Minute), Expired: true},
		},
		"Padded": {
			reason: "blanks around a string are ignored",
			column: "expires_at", in: " 2026-07-02T00:00:00Z ",
			want: result{At: now.Add(12 * time.Hour)},
		},
		"Date": {
			reason: "a DATE expires at midnight UTC of that day",
			column: "expires_on", in: "2026-07-01",
			want: result{At: now.Add(-12 * time.Hour), Expired: true},
		},
		"Time": {
			reason: "a time.Time is taken as is",
			column: "expires_at", in: now.Add(time.Hour),
			want: result{At: now.Add(time.Hour)},
		},
		"Unparsable": {
			reason: "a string that is no date is an error naming the column and value",
			column: "expires_at", in: "next friday",
			want: result{Err: `expiresAt column expires_at: "next friday" is neither RFC 3339`},
		},
		"MySQLText": {
			reason: "MySQL's text form in a VARCHAR is not RFC 3339: an error, not a guess at the zone",
			column: "expires_at", in: "2026-07-01 12:00:00",
			want: result{Err: "is neither RFC 3339"},
		},
		"Number": {
			reason: "a number is not a point in time",
			column: "expires_at", in: int64(1767225600),
			want: result{Err: "(int64) is not a DATETIME"},
		},
		"ZeroDate": {
			reason: "MySQL's zero date (read as the year 1) is rejected rather than expiring the row",
			column: "expires_at", in: "0001-01-01T00:00:00Z",
			want: result{Err: "use NULL for a row that never expires"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, err := rowExpiry(tc.column, tc.in, now)
			got := result{At: e.at, Expired: e.expired}
			if err != nil {
				got.Err = err.Error()
				if tc.want.Err != "" && strings.Contains(got.Err, tc.want.Err) {
					got.Err = tc.want.Err // the case names a substring of the message
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nrowExpiry(%q, %#v): -want +got:\n%s", tc.reason, tc.column, tc.in, diff)
			}
		})
	}
}

func TestNextWake(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		reason   string
		interval time.Duration
		next     time.Time
		want     time.Duration
	}{
		"NoExpiry":      {reason: "no expiry ahead keeps the interval", interval: time.Minute, want: time.Minute},
		"BeforeTick":    {reason: "an expiry before the next tick brings the sync forward to it", interval: time.Minute, next: now.Add(10 * time.Second), want: 10 * time.Second},
		"AfterTick":     {reason: "an expiry after the next tick leaves the interval", interval: time.Minute, next: now.Add(time.Hour), want: time.Minute},
		"Imminent":      {reason: "an expiry a moment away waits at least a second", interval: time.Minute, next: now.Add(time.Millisecond), want: time.Second},
		"Passed":        {reason: "an expiry already passed (the sync took a while) waits a second, not zero", interval: time.Minute, next: now.Add(-time.Second), want: time.Second},
		"ErrorInterval": {reason: "a shorter error requeue still wins over a later expiry", interval: 15 * time.Second, next: now.Add(20 * time.Second), want: 15 * time.Second},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, nextWake(tc.interval, tc.next, now)); diff != "" {
				t.Errorf("%s\nnextWake: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestBuildRowSetExpiry proves expired rows ask for nothing and are counted, an unparsable
// expiry protects the row's objects, and the earliest expiry ahead is kept for the requeue.
func TestBuildRowSetExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	hub := &v1alpha1.Hub{
		ObjectMeta: metav1.ObjectMeta{Name: "previews", Namespace: "dev"},
		Spec:       v1alpha1.HubSpec{ValueMappings: v1alpha1.ValueMappings{UID: "branch", Activate: "is_active", ExpiresAt: "expires_at"}},
	}
	tg := &target{spec: v1alpha1.Target{NameTemplate: "{{ .uid }}"}, valuesPath: []string{"spec"}}
	rows := []source.Row{
		{"branch": "old", "is_active": true, "expires_at": "2026-07-01T11:00:00Z"},
		{"branch": "soon", "is_active": true, "expires_at": "2026-07-01T12:00:05Z"},
		{"branch": "later", "is_active": true, "expires_at": "2026-07-02T00:00:00Z"},
		{"branch": "main", "is_active": true, "expires_at": nil},
		{"branch": "typo", "is_active": true, "expires_at": "tomorrow"},
		{"branch": "off", "is_active": false, "expires_at": "2026-07-01T12:00:01Z"},
		{"branch": "off-bad", "is_active": false, "expires_at": "never"},
	}
	rs := buildRowSet(hub, []*target{tg}, rows, nameRenderer{}, now)
	type summary struct {
		Rows, Active, Expired int
		Desired               []string
		Invalid               []string
		Protected             []string
		ExpiredAt             map[string]time.Time
		NextExpiry            time.Time
	}
	got := summary{Rows: rs.rows, Active: rs.active, Expired: rs.expired, ExpiredAt: rs.expiredAt, NextExpiry: rs.nextExpiry}
	for _, d := range rs.desired {
		got.Desired = append(got.Desired, d.name)
	}
	for _, ir := range rs.invalid {
		got.Invalid = append(got.Invalid, ir.Key)
	}
	for uid := range rs.protected {
		got.Protected = append(got.Protected, uid)
	}
	want := summary{
		Rows: 7, Active: 4, Expired: 1,
		Desired:    []string{"soon", "later", "main"},
		Invalid:    []string{"typo"},
		Protected:  []string{"typo"},
		ExpiredAt:  map[string]time.Time{"old": now.Add(-time.Hour)},
		NextExpiry: now.Add(5 * time.Second),
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("buildRowSet: -want +got:\n%s", diff)
	}
	if !strings.Contains(rs.invalid[0].Reason, "expiresAt column expires_at") {
		t.Errorf("the invalid row's reason names the expiresAt column: %q", rs.invalid[0].Reason)
	}
}

// nameRenderer renders only the default nameTemplate, enough for buildRowSet's tests.
type nameRenderer struct{}

func (nameRenderer) RenderString(_, _ string, vars map[string]any) (string, error) {
	return vars["uid"].(string), nil //nolint:forcetypeassert // the tests' uids are strings.
}

func TestExpiresAtVar(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		extra  map[string]string
		value  any
		want   map[string]any
	}{
		"Set": {
			reason: ".expiresAt is the expiry in RFC 3339, UTC",
			value:  "2026-07-01T14:00:00+02:00",
			want:   map[string]any{"uid": "feat-a", "activate": true, "hubId": "previews", "expiresAt": "2026-07-01T12:00:00Z"},
		},
		"Null": {
			reason: "a NULL expiry leaves .expiresAt out",
			want:   map[string]any{"uid": "feat-a", "activate": true, "hubId": "previews"},
		},
		"Unparsable": {
			reason: "an unparsable expiry leaves .expiresAt out (the row is reported invalid anyway)",
			value:  "soon",
			want:   map[string]any{"uid": "feat-a", "activate": true, "hubId": "previews"},
		},
		"AlsoExtra": {
			reason: "mapping the column in extraValueMappings too gives the column's value, as for any extra variable",
			extra:  map[string]string{"expiresAt": "expires_at"},
			value:  "2026-07-01T14:00:00+02:00",
			want:   map[string]any{"uid": "feat-a", "activate": true, "hubId": "previews", "expiresAt": "2026-07-01T14:00:00+02:00"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			hub := &v1alpha1.Hub{
				ObjectMeta: metav1.ObjectMeta{Name: "previews"},
				Spec: v1alpha1.HubSpec{
					ValueMappings:      v1alpha1.ValueMappings{UID: "branch", Activate: "is_active", ExpiresAt: "expires_at"},
					ExtraValueMappings: tc.extra,
				},
			}
			row := source.Row{"branch": "feat-a", "is_active": true, "expires_at": tc.value}
			if diff := cmp.Diff(tc.want, rowVars(hub, row, "feat-a")); diff != "" {
				t.Errorf("%s\nrowVars: -want +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff([]string{"branch", "is_active", "expires_at"}, uniqueSorted(columns(hub)), sortStrings()); diff != "" {
				t.Errorf("%s\ncolumns reads the expiry column: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func uniqueSorted(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
