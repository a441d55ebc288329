package template

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
)

// tickFunc is the internal function the engine calls at the start of every range iteration
// and template call; it is not meant for users, who gain nothing by calling it.
const tickFunc = "_rowplaneTick"

// templateCall marks, among the functions a template uses, that it calls templates.
const templateCall = "{{template}}"

// A parsed template keeps its parse trees, rewritten so loops check the budget, and a pool of
// executable instances. An instance binds the functions the template uses to one budget at a
// time, so a render runs in its caller's goroutine and its own function calls stop it.
type parsed struct {
	name  string
	typed string
	trees []*parse.Tree
	pool  sync.Pool
}

// An instance is an executable copy of a parsed template whose functions charge slot.b.
type instance struct {
	tmpl *template.Template
	slot *slot
}

// slot carries the budget of the render an instance is running.
type slot struct {
	b    *Budget
	name string
}

func newParsed(e *Engine, name string, trees map[string]*parse.Tree) *parsed {
	p := &parsed{name: name, typed: typedTail(trees[name])}
	used := map[string]bool{}
	for _, tr := range trees {
		if tr.Root != nil {
			guardLoops(tr, tr.Root, used)
			p.trees = append(p.trees, tr)
		}
	}
	if used[templateCall] {
		// Template calls can recurse, the main template included, so each call counts as an
		// iteration.
		for _, tr := range p.trees {
			tr.Root.Nodes = append([]parse.Node{tickNode(tr, tr.Root.Pos, 0)}, tr.Root.Nodes...)
		}
		delete(used, templateCall)
	}
	sort.Slice(p.trees, func(i, j int) bool { return p.trees[i].Name < p.trees[j].Name })
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	p.pool.New = func() any { return e.instance(p, names) }
	return p
}

func (e *Engine) instance(p *parsed, used []string) *instance {
	s := &slot{name: p.name}
	t := template.New(p.name).Option("missingkey=default").Funcs(e.bind(s, used))
	for _, tr := range p.trees {
		// The trees parsed before, so association cannot fail.
		_, _ = t.AddParseTree(tr.Name, tr)
	}
	return &instance{tmpl: t, slot: s}
}

// guardLoops puts a tick at the start of every range body and records the functions used.
func guardLoops(tr *parse.Tree, n parse.Node, used map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			guardLoops(tr, c, used)
		}
	case *parse.ActionNode:
		guardLoops(tr, n.Pipe, used)
	case *parse.TemplateNode:
		used[templateCall] = true
		guardLoops(tr, n.Pipe, used)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				guardLoops(tr, a, used)
			}
		}
	case *parse.ChainNode:
		guardLoops(tr, n.Node, used)
	case *parse.IdentifierNode:
		used[n.Ident] = true
	case *parse.IfNode:
		guardBranch(tr, &n.BranchNode, used)
	case *parse.WithNode:
		guardBranch(tr, &n.BranchNode, used)
	case *parse.RangeNode:
		guardBranch(tr, &n.BranchNode, used)
		n.List.Nodes = append([]parse.Node{tickNode(tr, n.Pos, n.Line)}, n.List.Nodes...)
	}
}

func guardBranch(tr *parse.Tree, n *parse.BranchNode, used map[string]bool) {
	guardLoops(tr, n.Pipe, used)
	guardLoops(tr, n.List, used)
	guardLoops(tr, n.ElseList, used)
}

// tickNode is {{ if _rowplaneTick }}{{ end }}: it calls the tick, prints nothing, declares no
// variable and leaves dot, break and continue alone, so the loop body behaves as written.
func tickNode(tr *parse.Tree, pos parse.Pos, line int) parse.Node {
	id := parse.NewIdentifier(tickFunc).SetTree(tr).SetPos(pos)
	cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{id}}
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Line: line, Cmds: []*parse.CommandNode{cmd}}
	return &parse.IfNode{BranchNode: parse.BranchNode{NodeType: parse.NodeIf, Pos: pos, Line: line, Pipe: pipe,
		List: &parse.ListNode{NodeType: parse.NodeList, Pos: pos}}}
}

// execute renders in the caller's goroutine: the budget stops the render from inside, through
// the ticks in loops and the checks in every function, so nothing runs on after an error.
func (p *parsed) execute(b *Budget, vars map[string]any) (string, error) {
	if err := b.checkTime(p.name); err != nil {
		return "", err
	}
	inst := p.pool.Get().(*instance)
	inst.slot.b = b
	w := &limitWriter{b: b, name: p.name}
	err := inst.tmpl.Execute(w, vars)
	inst.slot.b = nil
	p.pool.Put(inst)
	if err != nil {
		loc := locate(p.name, err)
		var le *Error
		if errors.As(err, &le) {
			if loc.Line == 0 {
				return "", le // from the writer: no action to point at
			}
			// Keep text/template's action context, not our error's own "template NAME: ".
			if i := strings.Index(loc.Msg, le.Error()); i >= 0 {
				loc.Msg = loc.Msg[:i] + le.Msg
			}
			loc.Msg = strings.TrimPrefix(loc.Msg, "<"+tickFunc+">: ")
			loc.Msg = strings.Replace(loc.Msg, " at <"+tickFunc+">: ", ": ", 1)
			loc.Limit = le.Limit
		}
		return "", loc
	}
	out := w.sb.String()
	if strings.Contains(out, noValue) {
		out = strings.ReplaceAll(out, noValue, "")
	}
	return out, nil
}
