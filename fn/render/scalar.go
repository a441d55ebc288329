package render

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rowplane/rowplane/input/v1beta1"
)

// maxNamedValues bounds how many values an injection error names.
const maxNamedValues = 3

// An InjectionError says that a value from the composite resource or claim changed the
// structure of a rendered manifest: it added, removed or renamed a key, changed a list or
// the object's kind, apiVersion or namespace, or split the manifest into documents.
type InjectionError struct {
	// Variables are the variables whose values did it, as dotted paths (dbInstanceClass,
	// xr.spec.size).
	Variables []string
	// Path is the first place in the rendered manifest whose structure changed, e.g.
	// $.spec.forProvider.region; empty when the value broke the YAML or split it.
	Path string
}

func (e *InjectionError) Error() string {
	where := "breaks the manifest's YAML"
	if e.Path != "" {
		where = "changes the structure of the manifest at " + e.Path
	}
	return fmt.Sprintf("the value of variable %s %s: a value from the composite resource or claim is always one scalar and may not add, remove or rename keys; nothing was rendered (in the template, pipe the value through toJson or quote it, or remove line breaks and YAML characters from the value)",
		strings.Join(e.Variables, ", "), where)
}

// checkScalars proves that every value the manifest template read stayed one scalar: it
// renders the template again with the YAML characters of the tainted values replaced by '_',
// and requires the two results to have the same structure. When no value it reads has such
// a character the second render would be identical, so only the document count is checked.
func (rd *Renderer) checkScalars(r *v1beta1.Resource, text string, vars map[string]any) error {
	chains := taintedChains(rd.refs.get(r.Manifest), vars)
	if len(chains) == 0 {
		if mayHoldDocs(text) {
			if _, err := parseOne(text); errors.Is(err, errMultiDoc) {
				return &Error{ID: r.ID, Field: "manifest", Err: err}
			}
		}
		return nil
	}
	real, realErr := parseOne(text)
	path, same := rd.sameShape(r, real, realErr, cleanedVars(vars, chains))
	if same {
		if errors.Is(realErr, errMultiDoc) {
			return &Error{ID: r.ID, Field: "manifest", Err: realErr}
		}
		return nil
	}
	return &Error{ID: r.ID, Field: "manifest", Err: &InjectionError{Variables: rd.culprits(r, real, realErr, vars, chains), Path: path}}
}

// sameShape renders the manifest with vars and compares it with the real render. Both
// failing to parse the same way counts as the same: the template is broken, not the value.
func (rd *Renderer) sameShape(r *v1beta1.Resource, real *yaml.Node, realErr error, vars map[string]any) (string, bool) {
	text, err := rd.engine.Render(rd.engine.NewBudget(), r.ID+"/manifest", r.Manifest, vars)
	if err != nil {
		// The template fails on the cleaned values (it parses them, say): the real render
		// cannot be shown to be one scalar per value, so it is refused.
		return "", false
	}
	clean, cleanErr := parseOne(text)
	switch {
	case realErr != nil && cleanErr != nil:
		return "", errors.Is(realErr, errMultiDoc) == errors.Is(cleanErr, errMultiDoc)
	case realErr != nil || cleanErr != nil:
		return "", false
	}
	p := firstDifference(real, clean)
	return p, p == ""
}

// culprits names the values whose cleaning alone changes the structure; when none does on
// its own (they act together), all of them.
func (rd *Renderer) culprits(r *v1beta1.Resource, real *yaml.Node, realErr error, vars map[string]any, chains [][]string) []string {
	var guilty [][]string
	for _, c := range chains {
		if _, same := rd.sameShape(r, real, realErr, cleanedVars(vars, [][]string{c})); !same {
			guilty = append(guilty, c)
		}
	}
	if len(guilty) == 0 {
		guilty = chains
	}
	var names []string
	for _, c := range guilty {
		leaves := taintedLeaves(vars, c, maxNamedValues)
		if len(leaves) == 0 {
			leaves = []string{strings.Join(c, ".")}
		}
		names = append(names, leaves...)
		if len(names) >= maxNamedValues {
			return names[:maxNamedValues]
		}
	}
	return names
}
