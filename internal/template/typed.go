package template

import (
	"strings"
	"text/template/parse"
)

// typedTail returns int, float or bool when the whole template is one action whose pipeline
// ends in that function (surrounding white space allowed), else "". This is decided on the
// parse tree, so the typed functions themselves return plain values and compose with sprig.
func typedTail(tr *parse.Tree) string {
	if tr == nil || tr.Root == nil {
		return ""
	}
	var action *parse.ActionNode
	for _, n := range tr.Root.Nodes {
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
