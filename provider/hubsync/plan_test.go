package hubsync

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	want := func(uid, hash string) desired {
		u := &unstructured.Unstructured{}
		u.SetKind("NodeDatabase")
		u.SetName(uid)
		return desired{uid: uid, name: uid, hash: hash, obj: u}
	}
	ours := func(uid, hash string) observed { return observed{name: uid, uid: uid, hash: hash, ours: true} }
	type summary struct {
		Apply, Delete, Conflicts []string
		Unchanged, Existing      int
		Desired, Ready, Failed   int
	}
	cases := map[string]struct {
		reason string
		rs     rowSet
		obs    map[string]observed
		want   summary
	}{
		"New": {
			reason: "a row without an object is applied",
			rs:     rowSet{desired: []desired{want("a", "h1")}},
			want:   summary{Apply: []string{"a"}, Desired: 1},
		},
		"Unchanged": {
			reason: "an object with the same hash is not written",
			rs:     rowSet{desired: []desired{want("a", "h1")}},
			obs:    map[string]observed{"a": ours("a", "h1")},
			want:   summary{Unchanged: 1, Existing: 1, Desired: 1},
		},
		"Changed": {
			reason: "an object with another hash is applied",
			rs:     rowSet{desired: []desired{want("a", "h2")}},
			obs:    map[string]observed{"a": ours("a", "h1")},
			want:   summary{Apply: []string{"a"}, Existing: 1, Desired: 1},
		},
		"Gone": {
			reason: "an object whose row is gone is deleted",
			rs:     rowSet{},
			obs:    map[string]observed{"a": ours("a", "h1")},
			want:   summary{Delete: []string{"a"}, Existing: 1},
		},
		"Protected": {
			reason: "an object whose row exists but is invalid or duplicated is kept",
			rs:     rowSet{protected: map[string]bool{"a": true}},
			obs:    map[string]observed{"a": ours("a", "h1")},
			want:   summary{Existing: 1},
		},
		"Foreign": {
			reason: "an object the Hub did not create is never taken over",
			rs:     rowSet{desired: []desired{want("a", "h1")}},
			obs:    map[string]observed{"a": {name: "a", uid: "a"}},
			want:   summary{Conflicts: []string{"a"}},
		},
		"ForeignNotDeleted": {
			reason: "an object the Hub did not create is never deleted",
			rs:     rowSet{},
			obs:    map[string]observed{"x": {name: "x"}},
			want:   summary{},
		},
		"BeingDeleted": {
			reason: "an object being deleted is neither applied nor deleted again",
			rs:     rowSet{desired: []desired{want("a", "h2")}},
			obs:    map[string]observed{"a": {name: "a", uid: "a", hash: "h1", ours: true, deleting: true}},
			want:   summary{Desired: 1},
		},
		"Readiness": {
			reason: "ready and failed are counted from the objects' conditions",
			rs:     rowSet{desired: []desired{want("a", "h"), want("b", "h")}},
			obs:    map[string]observed{"a": {name: "a", uid: "a", hash: "h", ours: true, ready: true}, "b": {name: "b", uid: "b", hash: "h", ours: true, failed: true}},
			want:   summary{Unchanged: 2, Existing: 2, Desired: 2, Ready: 1, Failed: 1},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			obs := tc.obs
			if obs == nil {
				obs = map[string]observed{}
			}
			p := diff(tc.rs, []map[string]observed{obs})
			got := summary{Unchanged: p.unchanged, Existing: p.existing, Desired: p.desired, Ready: p.ready, Failed: p.failed}
			for _, d := range p.apply {
				got.Apply = append(got.Apply, d.name)
			}
			for _, o := range p.deletes {
				got.Delete = append(got.Delete, o.name)
			}
			for _, c := range p.conflicts {
				got.Conflicts = append(got.Conflicts, c.Key)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\ndiff: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
