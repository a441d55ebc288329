package render

import (
	"strings"
	"sync"
	"text/template/parse"
)

// maxCachedRefs bounds the refs cache; a Form has a handful of manifests, so the bound only
// matters for a function serving very many Compositions, where the cache starts over.
const maxCachedRefs = 4096

// rootTemplate names the scanned template; a define of the same name would replace it.
const rootTemplate = "\x00root"

// refs are the variables a template reads, as paths from the root of the variables.
type refs struct {
	// chains are the field chains read from the root: .xr.spec.x is [xr spec x].
	chains [][]string
	// all is true when the template reads the root as a whole (. or $ passed as a value, or a
	// template that does not parse), so every variable counts.
	all bool
}

// refCache keeps the refs of each template text.
type refCache struct {
	mu sync.Mutex
	m  map[string]*refs
}

func (c *refCache) get(text string) *refs {
	c.mu.Lock()
	rf, ok := c.m[text]
	c.mu.Unlock()
	if ok {
		return rf
	}
	rf = scanRefs(text)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedRefs {
		c.m = make(map[string]*refs)
	}
	c.m[text] = rf
	c.mu.Unlock()
	return rf
}

// scanRefs walks the parse tree of text. Data reaches a template only through dot, $ and
// variables, and a variable or a with/range dot is set from a pipeline that is itself
// scanned, so the chains read from the root cover everything the template can print.
func scanRefs(text string) *refs {
	tr := parse.New(rootTemplate)
	tr.Mode = parse.SkipFuncCheck
	set := map[string]*parse.Tree{}
	if _, err := tr.Parse(text, "", "", set); err != nil {
		return &refs{all: true}
	}
	s := &refScan{rf: &refs{}, seen: map[string]bool{}}
	if tr.Root != nil {
		s.node(tr.Root, false, false)
	}
	for name, t := range set {
		// The body of a define sees the value it is called with as both dot and $; that
		// value comes from the calling pipeline, which is scanned where it is called.
		if name != rootTemplate && t.Root != nil {
			s.node(t.Root, true, true)
		}
	}
	return s.rf
}

type refScan struct {
	rf   *refs
	seen map[string]bool
}

// add records a chain once, so the hot path never looks a value up twice.
func (s *refScan) add(chain []string) {
	key := strings.Join(chain, "\x00")
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	s.rf.chains = append(s.rf.chains, chain)
}

// node scans n. relDot is true where dot is not the root (inside with and range, and in a
// define); relDollar is true where $ is not the root (in a define).
func (s *refScan) node(n parse.Node, relDot, relDollar bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			s.node(c, relDot, relDollar)
		}
	case *parse.ActionNode:
		s.node(n.Pipe, relDot, relDollar)
	case *parse.IfNode:
		s.branch(&n.BranchNode, relDot, relDot, relDollar)
	case *parse.RangeNode:
		s.branch(&n.BranchNode, true, relDot, relDollar)
	case *parse.WithNode:
		s.branch(&n.BranchNode, true, relDot, relDollar)
	case *parse.TemplateNode:
		s.node(n.Pipe, relDot, relDollar)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			s.node(c, relDot, relDollar)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			s.node(a, relDot, relDollar)
		}
	case *parse.ChainNode:
		s.node(n.Node, relDot, relDollar)
	case *parse.FieldNode:
		if !relDot {
			s.add(n.Ident)
		}
	case *parse.DotNode:
		if !relDot {
			s.rf.all = true
		}
	case *parse.VariableNode:
		if n.Ident[0] != "$" || relDollar {
			return
		}
		if len(n.Ident) == 1 {
			s.rf.all = true
			return
		}
		s.add(n.Ident[1:])
	}
}

// branch scans an if, range or with: the pipeline and else part see the outer dot, the
// body sees bodyRel.
func (s *refScan) branch(b *parse.BranchNode, bodyRel, relDot, relDollar bool) {
	s.node(b.Pipe, relDot, relDollar)
	s.node(b.List, bodyRel, relDollar)
	s.node(b.ElseList, relDot, relDollar)
}
