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
			reason: "A resource that depends on itself can never be created.",
			nodes:  []Node{{ID: "a", DependIDs: []string{"a"}}},
			want:   `resource "a" depends on itself`,
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
		reason    string
		nodes     []Node
		order     []string
		levels    map[string]int
		depsOfApp []string
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
			order:     []string{"cm", "ns", "rds-instance", "svc", "app"},
			levels:    map[string]int{"cm": 0, "ns": 0, "rds-instance": 1, "svc": 1, "app": 2, "nope": -1},
			depsOfApp: []string{"ns", "rds-instance"},
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
			order:     []string{"cm", "ns", "rds-instance", "svc", "app"},
			levels:    map[string]int{"app": 2},
			depsOfApp: []string{"ns", "rds-instance"},
		},
		"Empty": {
			reason: "A pipeline without resources has an empty order.",
			order:  nil,
			levels: map[string]int{"app": -1},
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
			got := map[string]int{}
			for id := range tc.levels {
				got[id] = g.Level(id)
			}
			if diff := cmp.Diff(tc.levels, got); diff != "" {
				t.Errorf("\n%s\nLevel(): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.depsOfApp, g.Deps("app")); diff != "" {
				t.Errorf("\n%s\nDeps(app): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDependents(t *testing.T) {
	t.Parallel()
	g, err := New([]Node{{ID: "ns"}, {ID: "b", DependIDs: []string{"ns"}}, {ID: "a", DependIDs: []string{"ns"}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, g.Dependents("ns")); diff != "" {
		t.Errorf("Dependents(ns): -want, +got:\n%s", diff)
	}
	if !g.Has("ns") || g.Has("x") {
		t.Errorf("Has: want ns known and x unknown")
	}
}
