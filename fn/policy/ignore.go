package policy

import (
	"sort"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// serverSetMetadata lists metadata fields the API server or Crossplane own. Copying them into
// a desired object would fail the apply or fight their owner.
func serverSetMetadata(k string) bool {
	switch k {
	case "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp",
		"selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences":
		return true
	}
	return false
}

// CheckIgnorePath parses an ignoreFields path and refuses paths that would copy state the
// function must never send back: status, apiVersion, kind, the whole of metadata and the
// server-set metadata fields. Call it when the input is read to fail early.
func CheckIgnorePath(s string) (Path, error) {
	p, err := ParsePath(s)
	if err != nil {
		return nil, err
	}
	if len(p) == 0 {
		return nil, errors.Errorf("path %q: ignoring the whole object is not allowed", s)
	}
	if p[0].IsIndex {
		return nil, errors.Errorf("path %q: an object is not a list", s)
	}
	if p[0].Wildcard {
		return nil, errors.Errorf("path %q: every top-level field would include status, apiVersion and kind", s)
	}
	switch p[0].Key {
	case "status", "apiVersion", "kind":
		return nil, errors.Errorf("path %q: %s is not the template's to ignore", s, p[0].Key)
	case "metadata":
		if len(p) == 1 {
			return nil, errors.Errorf("path %q: ignore single metadata fields, not the whole of metadata", s)
		}
		if p[1].Wildcard {
			return nil, errors.Errorf("path %q: every metadata field would include server-set ones; ignore single metadata fields", s)
		}
		if !p[1].IsIndex && serverSetMetadata(p[1].Key) {
			return nil, errors.Errorf("path %q: metadata.%s is set by the server and never copied", s, p[1].Key)
		}
	}
	return p, nil
}

// IgnoreFields copies the value at each path of the observed object into desired, so the
// function keeps what an autoscaler or an admin set there. A path the observed object lacks
// leaves desired as rendered. Nothing happens when observed is nil (the object is created
// from the template). A path into a list element desired does not have is skipped, since
// the rest of that element would be unknown. A [*] step stands for every element the observed
// object has there; elements pair up by position, as in Lynq's JSONPath.
func IgnoreFields(desired, observed *unstructured.Unstructured, paths []string) error {
	parsed := make([]Path, 0, len(paths))
	for _, s := range paths {
		p, err := CheckIgnorePath(s)
		if err != nil {
			return errors.Wrap(err, "ignoreFields")
		}
		parsed = append(parsed, p)
	}
	if desired == nil || observed == nil {
		return nil
	}
	for i, wild := range parsed {
		for _, p := range expand(observed.Object, wild) {
			v, ok := get(observed.Object, p)
			if !ok {
				continue
			}
			if err := set(desired.Object, p, runtime.DeepCopyJSONValue(v)); err != nil {
				return errors.Wrapf(err, "ignoreFields: path %q", paths[i])
			}
		}
	}
	return nil
}

// expand returns the concrete paths p stands for in obj: each [*] step becomes every index
// of the list (every key of the map, sorted) obj has there. A path obj lacks covers nothing.
func expand(obj any, p Path) []Path {
	for i, s := range p {
		if !s.Wildcard {
			next, ok := step(obj, s)
			if !ok {
				return nil // observed lacks this step: there is nothing to copy
			}
			obj = next
			continue
		}
		var concrete []Segment
		switch c := obj.(type) {
		case []any:
			for j := range c {
				concrete = append(concrete, Segment{Index: j, IsIndex: true})
			}
		case map[string]any:
			keys := make([]string, 0, len(c))
			for k := range c {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				concrete = append(concrete, Segment{Key: k})
			}
		}
		var out []Path
		for _, seg := range concrete {
			next, _ := step(obj, seg)
			for _, rest := range expand(next, p[i+1:]) {
				out = append(out, append(append(append(Path{}, p[:i]...), seg), rest...))
			}
		}
		return out
	}
	return []Path{p}
}

// get returns the value at p in obj.
func get(obj map[string]any, p Path) (any, bool) {
	var cur any = obj
	for _, s := range p {
		next, ok := step(cur, s)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// step returns the child of cur that the concrete segment s names.
func step(cur any, s Segment) (any, bool) {
	switch c := cur.(type) {
	case map[string]any:
		if s.IsIndex || s.Wildcard {
			return nil, false
		}
		v, ok := c[s.Key]
		return v, ok
	case []any:
		if !s.IsIndex || s.Index >= len(c) {
			return nil, false
		}
		return c[s.Index], true
	}
	return nil, false
}

// set writes v at p in obj, creating maps for missing keys. It does not grow lists.
func set(obj map[string]any, p Path, v any) error {
	var cur any = obj
	for i, s := range p {
		last := i == len(p)-1
		switch c := cur.(type) {
		case map[string]any:
			if s.IsIndex {
				return errors.Errorf("%s is a map in the rendered object, not a list", p[:i])
			}
			if last {
				c[s.Key] = v
				return nil
			}
			next, ok := c[s.Key]
			if !ok || next == nil {
				if p[i+1].IsIndex {
					return nil
				}
				next = map[string]any{}
				c[s.Key] = next
			}
			cur = next
		case []any:
			if !s.IsIndex {
				return errors.Errorf("%s is a list in the rendered object, not a map", p[:i])
			}
			if s.Index >= len(c) {
				return nil
			}
			if last {
				c[s.Index] = v
				return nil
			}
			cur = c[s.Index]
		default:
			return errors.Errorf("%s is a %T in the rendered object, not a map or list", p[:i], cur)
		}
	}
	return nil
}
