package compose

import (
	"encoding/json"
	"hash/maphash"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/rowplane/rowplane/fn/rollout"
)

func TestStructCache(t *testing.T) {
	t.Parallel()
	base := func() map[string]any {
		return map[string]any{"kind": "ConfigMap", "data": map[string]any{"a": "1"}, "n": int64(2), "l": []any{true, nil, 1.5}}
	}
	cases := map[string]struct {
		reason string
		second map[string]any
		// same is whether the second object gets the first one's Struct.
		same bool
	}{
		"Equal": {
			reason: "An object equal to one converted before reuses its Struct.",
			second: base(),
			same:   true,
		},
		"SameNumberOtherType": {
			reason: "A number is what structpb stores: int64 2 and float64 2 are the same object.",
			second: func() map[string]any { m := base(); m["n"] = 2.0; return m }(),
			same:   true,
		},
		"StringNotNumber": {
			reason: "The string \"2\" is not the number 2.",
			second: func() map[string]any { m := base(); m["n"] = "2"; return m }(),
		},
		"NestedValue": {
			reason: "A change deep in the object is a different object.",
			second: func() map[string]any { m := base(); m["data"] = map[string]any{"a": "2"}; return m }(),
		},
		"ListOrder": {
			reason: "List order matters.",
			second: func() map[string]any { m := base(); m["l"] = []any{nil, true, 1.5}; return m }(),
		},
		"ExtraField": {
			reason: "A field more is a different object.",
			second: func() map[string]any { m := base(); m["x"] = nil; return m }(),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newStructCache(8)
			first, err := c.get(base())
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.get(tc.second)
			if err != nil {
				t.Fatal(err)
			}
			if (got == first) != tc.same {
				t.Errorf("%s: same Struct = %v, want %v", tc.reason, got == first, tc.same)
			}
			want, _ := structpb.NewStruct(tc.second)
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestHashStructIgnoresOrder(t *testing.T) {
	t.Parallel()
	seed := maphash.MakeSeed()
	m := map[string]any{"a": "x", "b": map[string]any{"c": 1.0, "d": []any{"e", false}}}
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	hm, ok := hashMap(seed, m)
	if !ok || hm != hashStruct(seed, s) {
		t.Errorf("hashMap(m) = %d, %v; want hashStruct(NewStruct(m)) = %d", hm, ok, hashStruct(seed, s))
	}
	other, _ := structpb.NewStruct(map[string]any{"a": "x", "b": map[string]any{"c": 2.0, "d": []any{"e", false}}})
	if equalStruct(s, other) || !equalStruct(s, roundTrip(s)) {
		t.Error("equalStruct must tell structs apart by value and match a copy")
	}
}

func roundTrip(s *structpb.Struct) *structpb.Struct {
	raw, _ := s.MarshalJSON()
	out := &structpb.Struct{}
	_ = out.UnmarshalJSON(raw)
	return out
}

func TestStatusStruct(t *testing.T) {
	t.Parallel()
	cases := map[string]rollout.Status{
		"Empty": {},
		"Resources": {DesiredResources: 3, ReadyResources: 1, WaitingResources: 1, FailedResources: 1, Resources: []rollout.ResourceStatus{
			{ID: "ns", APIVersion: "v1", Kind: "Namespace", Name: "n", Phase: rollout.PhaseReady},
			{ID: "app", APIVersion: "apps/v1", Kind: "Deployment", Namespace: "n", Name: "a", Phase: rollout.PhaseWaiting, Reason: "dependency"},
		}},
	}
	for name, st := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// The status on the XR has always been the JSON encoding of rollout.Status.
			raw, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			want := &structpb.Struct{}
			if err := want.UnmarshalJSON(raw); err != nil {
				t.Fatal(err)
			}
			want.Fields["readyOfDesired"] = structpb.NewStringValue(readyOf(st))
			if diff := cmp.Diff(want, statusStruct(st), protocmp.Transform()); diff != "" {
				t.Errorf("statusStruct must equal the JSON encoding of the status: -want, +got:\n%s", diff)
			}
		})
	}
}
