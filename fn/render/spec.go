package render

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/rowplane/rowplane/internal/template"
)

// maxCachedSpecs bounds the spec cache like maxCachedRefs: past it the cache starts over.
const maxCachedSpecs = 1024

// A node is a resource spec compiled once: its maps, lists and scalars, and for each template
// the name, field path and typing it renders with, which walking the spec used to work out
// again on every render. Nodes are shared by concurrent renders and never modified.
type node struct {
	// scalar is a value that is not a template, returned as it is.
	scalar any
	// template is a template's text; name and field say where it is, and str whether it
	// renders to a string whatever it prints.
	template    string
	name, field string
	str         bool
	// keys and fields are a map's entries; items a list's.
	keys   []string
	fields []node
	items  []node
	shape  byte
}

// Node shapes.
const (
	shapeScalar byte = iota
	shapeTemplate
	shapeMap
	shapeList
)

// compile builds the node of v, found at path in the spec of resource id of kind.
func compile(id, kind string, path []string, v any) node {
	switch t := v.(type) {
	case string:
		if !template.IsTemplate(t) {
			return node{scalar: t}
		}
		f := fieldPath(path)
		return node{shape: shapeTemplate, template: t, name: id + "/" + f, field: f, str: stringOnly(kind, path)}
	case map[string]any:
		n := node{shape: shapeMap, keys: make([]string, 0, len(t)), fields: make([]node, 0, len(t))}
		for k, e := range t {
			n.keys = append(n.keys, k)
			n.fields = append(n.fields, compile(id, kind, append(path[:len(path):len(path)], k), e))
		}
		return n
	case []any:
		n := node{shape: shapeList, items: make([]node, len(t))}
		for i, e := range t {
			n.items[i] = compile(id, kind, append(path[:len(path):len(path)], "["+strconv.Itoa(i)+"]"), e)
		}
		return n
	}
	return node{scalar: v}
}

// render renders every template below n into a new value. Map keys are never rendered.
func (rd *Renderer) render(b *template.Budget, id string, n *node, vars map[string]any) (any, error) {
	switch n.shape {
	case shapeTemplate:
		var (
			out any
			err error
		)
		if n.str {
			out, err = rd.engine.Render(b, n.name, n.template, vars)
		} else {
			out, err = rd.engine.RenderTyped(b, n.name, n.template, vars)
		}
		if err != nil {
			return nil, &Error{ID: id, Field: n.field, Err: err}
		}
		return out, nil
	case shapeMap:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			v, err := rd.render(b, id, &n.fields[i], vars)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	case shapeList:
		out := make([]any, len(n.items))
		for i := range n.items {
			v, err := rd.render(b, id, &n.items[i], vars)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return n.scalar, nil
}

// specCache keeps each resource spec compiled, by resource id and JSON, so the spec of a Form
// is decoded and compiled once and not on every reconcile.
type specCache struct {
	mu sync.Mutex
	n  int
	m  map[string]map[string]*node
}

func (c *specCache) get(id string, raw []byte) (*node, error) {
	c.mu.Lock()
	n, ok := c.m[id][string(raw)]
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, err
	}
	kind, _ := spec["kind"].(string)
	compiled := compile(id, kind, nil, spec)
	n = &compiled
	c.mu.Lock()
	if c.m == nil || c.n >= maxCachedSpecs {
		c.m, c.n = make(map[string]map[string]*node), 0
	}
	if c.m[id] == nil {
		c.m[id] = make(map[string]*node)
	}
	c.m[id][string(raw)] = n
	c.n++
	c.mu.Unlock()
	return n, nil
}
