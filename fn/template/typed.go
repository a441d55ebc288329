package template

import (
	"strings"
	"text/template"
	"text/template/parse"
)

// typedTail returns int, float or bool when the whole template is one action whose pipeline
// ends in that function (surrounding white space allowed), else "". This is decided on the
// parse tree, so the typed functions themselves return plain values and compose with sprig.
func typedTail(t *template.Template) string {
	if t.Tree == nil || t.Tree.Root == nil {
		return ""
	}
	var action *parse.ActionNode
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			if strings.TrimSpace(string(n.Text)) != "" {
				return ""
			}
		case *parse.ActionNode:
			if action != nil {
				return ""
			}
			action = n
		default:
			return ""
		}
	}
	if action == nil || len(action.Pipe.Decl) > 0 || len(action.Pipe.Cmds) == 0 {
		return ""
	}
	last := action.Pipe.Cmds[len(action.Pipe.Cmds)-1]
	if len(last.Args) == 0 {
		return ""
	}
	id, ok := last.Args[0].(*parse.IdentifierNode)
	if !ok {
		return ""
	}
	switch id.Ident {
	case FuncInt, FuncFloat, FuncBool:
		return id.Ident
	}
	return ""
}

// mayLoop reports whether a template has a range or calls another template, the only ways it
// can run long without writing output.
func mayLoop(t *template.Template) bool {
	if t.Tree == nil || t.Tree.Root == nil {
		return false
	}
	return hasLoop(t.Tree.Root)
}

func hasLoop(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return false
		}
		for _, c := range n.Nodes {
			if hasLoop(c) {
				return true
			}
		}
	case *parse.RangeNode, *parse.TemplateNode:
		return true
	case *parse.IfNode:
		return hasLoop(n.List) || hasLoop(n.ElseList)
	case *parse.WithNode:
		return hasLoop(n.List) || hasLoop(n.ElseList)
	}
	return false
}
