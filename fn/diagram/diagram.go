// Package diagram draws the dependency graph of a Composition's Form steps, as Mermaid or as
// Graphviz dot, with each resource's kind and policies, so a reviewer sees the order of a
// tenant's stack instead of reading dependIds.
package diagram

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/rowplane/rowplane/input/v1beta1"
)

// A Step is one Form step of a pipeline.
type Step struct {
	Name string
	Form v1beta1.FormSpec
}

// Formats Draw writes.
const (
	FormatMermaid = "mermaid"
	FormatDot     = "dot"
)

// node is one resource as drawn.
type node struct {
	id, kind string
	tags     []string
	deps     []string
}

// Draw returns the graph of steps in format (FormatMermaid or FormatDot).
func Draw(steps []Step, format string) (string, error) {
	groups := make([][]node, len(steps))
	for i, s := range steps {
		for _, r := range s.Form.All() {
			groups[i] = append(groups[i], node{id: r.ID, kind: kindOf(r), tags: tags(r), deps: r.DependIDs})
		}
	}
	switch format {
	case FormatMermaid:
		return mermaid(steps, groups), nil
	case FormatDot:
		return dot(steps, groups), nil
	default:
		return "", fmt.Errorf("format %q: want %s or %s", format, FormatMermaid, FormatDot)
	}
}

// tags are the policies worth seeing, in a fixed order; defaults are left out.
func tags(r v1beta1.Resource) []string {
	var t []string
	if r.GetCreationPolicy() == v1beta1.CreationOnce {
		t = append(t, "Once")
	}
	if r.GetDeletionPolicy() == v1beta1.DeletionRetain {
		t = append(t, "Retain")
	}
	if !r.GetWaitForReady() {
		t = append(t, "no wait")
	} else if d := r.GetTimeout(); d != v1beta1.DefaultTimeoutSeconds*time.Second {
		t = append(t, "timeout "+d.String())
	}
	if r.ReadyWhen != "" {
		t = append(t, "readyWhen")
	}
	if r.IncludeWhen != "" {
		t = append(t, "includeWhen")
	}
	return t
}

var manifestKind = regexp.MustCompile(`(?m)^kind:\s*["']?([A-Za-z0-9]+)`)

// kindOf reads the kind from spec, or from the manifest's top-level kind line.
func kindOf(r v1beta1.Resource) string {
	if r.Spec != nil && len(r.Spec.Raw) > 0 {
		k := struct {
			Kind string `json:"kind"`
		}{}
		if json.Unmarshal(r.Spec.Raw, &k) == nil && k.Kind != "" {
			return k.Kind
		}
	}
	if m := manifestKind.FindStringSubmatch(r.Manifest); m != nil {
		return m[1]
	}
	return "?"
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9_]`)

// key is a node name both formats accept for any id.
func key(id string) string { return "r_" + unsafe.ReplaceAllString(id, "_") }

func label(n node) string {
	l := n.id + "<br/>" + n.kind
	if len(n.tags) > 0 {
		l += "<br/>" + strings.Join(n.tags, ", ")
	}
	return l
}

func mermaid(steps []Step, groups [][]node) string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for i, g := range groups {
		indent := "  "
		if len(steps) > 1 {
			fmt.Fprintf(&b, "  subgraph %s[\"step %s\"]\n", key("step_"+steps[i].Name), steps[i].Name)
			indent = "    "
		}
		for _, n := range g {
			fmt.Fprintf(&b, "%s%s[\"%s\"]\n", indent, key(n.id), strings.ReplaceAll(label(n), `"`, "#quot;"))
		}
		if len(steps) > 1 {
			b.WriteString("  end\n")
		}
	}
	for _, e := range edges(groups) {
		fmt.Fprintf(&b, "  %s --> %s\n", key(e[0]), key(e[1]))
	}
	return b.String()
}

func dot(steps []Step, groups [][]node) string {
	var b strings.Builder
	b.WriteString("digraph form {\n  rankdir=LR;\n  node [shape=box];\n")
	for i, g := range groups {
		indent := "  "
		if len(steps) > 1 {
			fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%q;\n", i, "step "+steps[i].Name)
			indent = "    "
		}
		for _, n := range g {
			fmt.Fprintf(&b, "%s%s [label=%q];\n", indent, key(n.id), strings.ReplaceAll(label(n), "<br/>", "\n"))
		}
		if len(steps) > 1 {
			b.WriteString("  }\n")
		}
	}
	for _, e := range edges(groups) {
		fmt.Fprintf(&b, "  %s -> %s;\n", key(e[0]), key(e[1]))
	}
	b.WriteString("}\n")
	return b.String()
}

// edges returns dependency -> dependent pairs, sorted so output is stable.
func edges(groups [][]node) [][2]string {
	var out [][2]string
	for _, g := range groups {
		for _, n := range g {
			for _, d := range n.deps {
				out = append(out, [2]string{d, n.id})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}
