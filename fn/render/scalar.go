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

// maxSuspects bounds the extra renders spent finding which value changed the structure;
// with more tainted values than this the error names them all rather than render again.
const maxSuspects = 8

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
	// Problem says what the value did when Path does not.
	Problem string
}

func (e *InjectionError) Error() string {
	what := e.Problem
	if e.Path != "" {
		what = "changes the structure of the manifest at " + e.Path
	}
	return fmt.Sprintf("the value of variable %s %s: a value from the composite resource or claim is always one scalar and may not add, remove or rename keys (in the template, pipe the value through toJson, or remove line breaks and YAML characters from the value)",
		strings.Join(e.Variables, ", "), what)
}

// Problems an InjectionError reports when there is no path to point at.
const (
	problemYAML      = "breaks the manifest's YAML"
	problemDocuments = "splits the manifest into more than one YAML document"
	problemUnchecked = "cannot be shown to stay one scalar: the template fails when the value's YAML characters are replaced by _"
)

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
	got, gotErr := parseOne(text)
	d := rd.compare(r, got, gotErr, cleanedVars(vars, chains))
	if d == nil {
		if errors.Is(gotErr, errMultiDoc) {
			return &Error{ID: r.ID, Field: "manifest", Err: gotErr}
		}
		return nil
	}
	d.Variables = rd.culprits(r, got, gotErr, vars, chains)
	return &Error{ID: r.ID, Field: "manifest", Err: d}
}

// compare renders the manifest with cleaned vars and compares it with the real render, got.
// It returns nil when both have the same structure; both failing to parse the same way counts
// as the same, since then the template is broken, not the value.
func (rd *Renderer) compare(r *v1beta1.Resource, got *yaml.Node, gotErr error, cleaned map[string]any) *InjectionError {
	text, err := rd.engine.Render(rd.engine.NewBudget(), r.ID+"/manifest", r.Manifest, cleaned)
	if err != nil {
		return &InjectionError{Problem: problemUnchecked}
	}
	want, wantErr := parseOne(text)
	multi := errors.Is(gotErr, errMultiDoc)
	switch {
	case gotErr != nil && wantErr != nil && multi == errors.Is(wantErr, errMultiDoc):
		return nil
	case multi:
		return &InjectionError{Problem: problemDocuments}
	case gotErr != nil || wantErr != nil:
		return &InjectionError{Problem: problemYAML}
	}
	if p := firstDifference(got, want); p != "" {
		return &InjectionError{Path: p}
	}
	return nil
}

// culprits names the values whose cleaning alone changes the structure; when none does on
// its own (they act together), all of them.
func (rd *Renderer) culprits(r *v1beta1.Resource, got *yaml.Node, gotErr error, vars map[string]any, chains [][]string) []string {
	guilty := chains
	if len(chains) <= maxSuspects {
		var found [][]string
		for _, c := range chains {
			if rd.compare(r, got, gotErr, cleanedVars(vars, [][]string{c})) != nil {
				found = append(found, c)
			}
		}
		if len(found) > 0 {
			guilty = found
		}
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
