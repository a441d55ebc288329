package graph

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		nodes  []Node
		want   string
	}{
		"Empty": {
			reason: "A resource without an id cannot be keyed and is rejected.",
			nodes:  []Node{{ID: ""}},
			want:   "resource has an empty id",
		},
		"Duplicate": {
			reason: "Ids are composed-resource names, so two resources may not share one.",
			nodes:  []Node{{ID: "a"}, {ID: "a"}},
			want:   `duplicate resource id "a": ids must be unique across every Form of the pipeline`,
		},
		"Self": {
			reason: "A resource that depends on itself is the shortest cycle and says so like every other cycle.",
			nodes:  []Node{{ID: "a", DependIDs: []string{"a"}}},
			want:   "dependency cycle: a -> a",
		},
		"Missing": {
			reason: "A dependency on an unknown id names both ids.",
			nodes:  []Node{{ID: "app", DependIDs: []string{"db"}}},
			want:   `resource "app" depends on "db", which is not a resource of any Form in the pipeline`,
		},
		"Cycle": {
			reason: "A cycle is reported as a closed path in dependency order.",
			nodes: []Node{
				{ID: "c", DependIDs: []string{"a"}},
				{ID: "a", DependIDs: []string{"b"}},
				{ID: "b", DependIDs: []string{"c"}},
			},
			want: "dependency cycle: a -> b -> c -> a",
		},
		"CycleBehindRoot": {
			reason: "A cycle reached from an acyclic prefix names only the ids in the cycle.",
			nodes: []Node{
				{ID: "app", DependIDs: []string{"x"}},
				{ID: "x", DependIDs: []string{"y"}},
				{ID: "y", DependIDs: []string{"x", "ns"}},
				{ID: "ns"},
			},
			want: "dependency cycle: x -> y -> x",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tc.nodes)
			if err == nil {
				t.Fatalf("\n%s\nNew(...): want error %q, got nil", tc.reason, tc.want)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("\n%s\nNew(...): -want error, +got error:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCycleErrorIDs(t *testing.T) {
	t.Parallel()
	_, err := New([]Node{{ID: "a", DependIDs: []string{"b"}}, {ID: "b", DependIDs: []string{"a"}}})
	ce, ok := err.(*CycleError)
	if !ok {
		t.Fatalf("New(...): want *CycleError, got %T", err)
	}
	if diff := cmp.Diff([]string{"a", "b", "a"}, ce.IDs); diff != "" {
		t.Errorf("CycleError.IDs: -want, +got:\n%s", diff)
	}
}

func TestOrder(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		nodes  []Node
		order  []string
	}{
		"DatabasePerNode": {
			reason: "Roots come first; a resource sits one level below its deepest dependency.",
			nodes: []Node{
				{ID: "app", DependIDs: []string{"rds-instance", "ns", "ns"}},
				{ID: "svc", DependIDs: []string{"ns"}},
				{ID: "rds-instance", DependIDs: []string{"ns"}},
				{ID: "ns"},
				{ID: "cm"},
			},
			order: []string{"cm", "ns", "rds-instance", "svc", "app"},
		},
		"InputOrderIrrelevant": {
			reason: "The same nodes in another order give the same order.",
			nodes: []Node{
				{ID: "ns"},
				{ID: "rds-instance", DependIDs: []string{"ns"}},
				{ID: "cm"},
				{ID: "app", DependIDs: []string{"ns", "rds-instance"}},
				{ID: "svc", DependIDs: []string{"ns"}},
			},
			order: []string{"cm", "ns", "rds-instance", "svc", "app"},
		},
		"Empty": {
			reason: "A pipeline without resources has an empty order.",
			order:  nil,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g, err := New(tc.nodes)
			if err != nil {
				t.Fatalf("\n%s\nNew(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.order, g.Order()); diff != "" {
				t.Errorf("\n%s\nOrder(): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
