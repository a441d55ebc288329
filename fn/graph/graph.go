// Package graph orders the resources of a Form by their dependIds.
//
// The graph spans every resource of every Form step in a pipeline, so an id is unique across
// all of them. New rejects anything that is not a DAG with a typed error that names the ids
// involved, and Order returns a deterministic order: by level (the longest path from a root),
// then by id. Everything the function prints about resources follows that order, so two runs
// over the same input produce byte-identical results.
package graph

import (
	"sort"
)

// A Node is one resource and the ids it depends on.
type Node struct {
	ID        string
	DependIDs []string
}

// A Graph is a validated dependency DAG.
type Graph struct {
	deps  map[string][]string
	level map[string]int
	order []string
}

// New builds a Graph from nodes. It returns an *EmptyIDError, *DuplicateError,
// *MissingDependencyError or *CycleError (a self-dependency is the cycle a -> a) when the
// nodes do not form a DAG. Repeated entries in a node's DependIDs are tolerated and collapsed.
func New(nodes []Node) (*Graph, error) {
	g := &Graph{
		deps:  make(map[string][]string, len(nodes)),
		level: make(map[string]int, len(nodes)),
	}
	for _, n := range nodes {
		if n.ID == "" {
			return nil, &EmptyIDError{}
		}
		if _, dup := g.deps[n.ID]; dup {
			return nil, &DuplicateError{ID: n.ID}
		}
		g.deps[n.ID] = uniqueSorted(n.DependIDs)
	}
	// Validate in id order so the first error reported does not depend on input order.
	ids := g.ids()
	for _, id := range ids {
		for _, d := range g.deps[id] {
			if d == id {
				// The shortest cycle, reported like every other one.
				return nil, &CycleError{IDs: []string{id, id}}
			}
			if _, ok := g.deps[d]; !ok {
				return nil, &MissingDependencyError{ID: id, Missing: d}
			}
		}
	}
	if c := g.findCycle(ids); c != nil {
		return nil, &CycleError{IDs: c}
	}
	for _, id := range ids {
		g.computeLevel(id)
	}
	g.order = ids
	sort.SliceStable(g.order, func(i, j int) bool {
		return g.level[g.order[i]] < g.level[g.order[j]]
	})
	return g, nil
}

// Order returns every id, sorted by level and then by id. The caller may modify the slice.
func (g *Graph) Order() []string {
	return append([]string(nil), g.order...)
}

func (g *Graph) ids() []string {
	ids := make([]string, 0, len(g.deps))
	for id := range g.deps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// computeLevel is only called on an acyclic graph; the recursion depth is bounded by the
// longest path, which is at most the number of resources in a Form.
func (g *Graph) computeLevel(id string) int {
	if l, ok := g.level[id]; ok {
		return l
	}
	l := 0
	for _, d := range g.deps[id] {
		if dl := g.computeLevel(d) + 1; dl > l {
			l = dl
		}
	}
	g.level[id] = l
	return l
}

// A frame is one entry of findCycle's explicit DFS stack.
type frame struct {
	id   string
	next int
}

// findCycle runs an iterative depth-first search, visiting roots and edges in id order, and
// returns the first cycle it meets as a closed path (first id repeated at the end).
func (g *Graph) findCycle(ids []string) []string {
	const (
		unvisited = iota
		onStack
		done
	)
	state := make(map[string]int, len(ids))
	for _, root := range ids {
		if state[root] != unvisited {
			continue
		}
		stack := []frame{{id: root}}
		state[root] = onStack
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			deps := g.deps[top.id]
			if top.next == len(deps) {
				state[top.id] = done
				stack = stack[:len(stack)-1]
				continue
			}
			d := deps[top.next]
			top.next++
			switch state[d] {
			case onStack:
				return closePath(stack, d)
			case unvisited:
				state[d] = onStack
				stack = append(stack, frame{id: d})
			}
		}
	}
	return nil
}

// closePath returns the cycle on stack starting at id, with id repeated at the end. The DFS
// follows "depends on" edges, so a -> b reads "a depends on b".
func closePath(stack []frame, id string) []string {
	start := 0
	for i, f := range stack {
		if f.id == id {
			start = i
			break
		}
	}
	path := make([]string, 0, len(stack)-start+1)
	for _, f := range stack[start:] {
		path = append(path, f.id)
	}
	return append(path, id)
}

func uniqueSorted(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := append([]string(nil), in...)
	sort.Strings(out)
	j := 0
	for i := range out {
		if i == 0 || out[i] != out[i-1] {
			out[j] = out[i]
			j++
		}
	}
	return out[:j]
}
