package render

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// errMultiDoc is the cause when a rendered manifest holds more than one YAML document.
var errMultiDoc = errors.New("the rendered manifest holds more than one YAML document; a manifest is one object (use one resource per object)")

// mayHoldDocs reports whether text has a document marker (--- or ... at the start of a line)
// anywhere but its first line, the only way it can hold more than one document. It lets the
// common case skip the full parse.
func mayHoldDocs(text string) bool {
	for i := strings.Index(text, "\n"); i >= 0 && i < len(text)-1; {
		rest := text[i+1:]
		if isMarker(rest, "---") || isMarker(rest, "...") {
			return true
		}
		j := strings.Index(rest, "\n")
		if j < 0 {
			return false
		}
		i += j + 1
	}
	return false
}

func isMarker(line, m string) bool {
	if !strings.HasPrefix(line, m) {
		return false
	}
	return len(line) == len(m) || strings.ContainsRune(" \t\r\n", rune(line[len(m)]))
}

// parseOne parses text as YAML and returns its single document's root, errMultiDoc when it
// holds more than one non-empty document, or the parser's error.
func parseOne(text string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var root *yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		if len(doc.Content) == 0 || isNull(doc.Content[0]) {
			continue
		}
		if root != nil {
			return nil, errMultiDoc
		}
		root = doc.Content[0]
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Style == 0
}

// identity lists the fields whose values a variable may never change, even to another
// scalar, unless the template author wrote them from a variable on purpose: those values are
// compared as well as the shape.
var identity = [][]string{{"apiVersion"}, {"kind"}, {"metadata", "namespace"}}

// firstDifference returns the path of the first place where a and b differ in structure: a
// node kind, an explicit tag, a mapping key or its position, a sequence length, or the value
// of an identity field. It returns "" when they have the same shape.
func firstDifference(a, b *yaml.Node) string {
	if p, ok := diffNode(a, b, "$"); !ok {
		return p
	}
	for _, f := range identity {
		x, y := child(a, f), child(b, f)
		if (x == nil) != (y == nil) || (x != nil && x.Value != y.Value) {
			return "$." + strings.Join(f, ".")
		}
	}
	return ""
}

func diffNode(a, b *yaml.Node, path string) (string, bool) {
	if a == nil || b == nil {
		return path, a == b
	}
	if a.Kind != b.Kind || tagged(a) != tagged(b) || (tagged(a) && a.Tag != b.Tag) {
		return path, false
	}
	if len(a.Content) != len(b.Content) {
		return path, false
	}
	switch a.Kind {
	case yaml.MappingNode:
		for i := 0; i < len(a.Content); i += 2 {
			// b is the render with cleaned values: a key a template wrote from a map
			// (toJson) keeps its characters in a and has them cleaned in b.
			ka, kb := a.Content[i], b.Content[i]
			if ka.Kind != kb.Kind || (ka.Value != kb.Value && clean(ka.Value) != kb.Value) {
				return path + "." + ka.Value, false
			}
			if p, ok := diffNode(a.Content[i+1], b.Content[i+1], path+"."+ka.Value); !ok {
				return p, false
			}
		}
	case yaml.SequenceNode:
		for i := range a.Content {
			if p, ok := diffNode(a.Content[i], b.Content[i], path+"["+strconv.Itoa(i)+"]"); !ok {
				return p, false
			}
		}
	case yaml.AliasNode:
		// The anchored node is compared where it is defined; following the alias could loop.
		if a.Value != b.Value {
			return path, false
		}
	}
	return path, true
}

// tagged reports whether a node carries an explicit tag (!!binary, !custom) rather than one
// the parser resolved from its text.
func tagged(n *yaml.Node) bool { return n.Style&yaml.TaggedStyle != 0 }

// child returns the value at keys below a mapping node, or nil.
func child(n *yaml.Node, keys []string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}
