package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/input/v1beta1"
	"github.com/rowplane/rowplane/internal/template"
)

// A Renderer renders Form resources with one template engine.
type Renderer struct {
	engine *template.Engine
	refs   *refCache
	specs  *specCache
}

// New returns a Renderer that renders through engine.
func New(engine *template.Engine) *Renderer {
	return &Renderer{engine: engine, refs: &refCache{}, specs: &specCache{}}
}

// Resource renders r with vars. Any failure is an *Error naming the resource id and field.
func (rd *Renderer) Resource(r *v1beta1.Resource, vars map[string]any) (*unstructured.Unstructured, error) {
	b := rd.engine.NewBudget()
	obj, err := rd.body(b, r, vars)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: obj}
	if u.GetAPIVersion() == "" || u.GetKind() == "" {
		return nil, &Error{ID: r.ID, Err: errors.New("the rendered object has no apiVersion or kind")}
	}
	if err := rd.metadata(b, r, u, vars); err != nil {
		return nil, err
	}
	// targetNamespace is checked where it is rendered; a namespace written in the spec or
	// manifest is one scalar too, but only a DNS label is a namespace.
	if ns := u.GetNamespace(); ns != "" {
		if msgs := validation.IsDNS1123Label(ns); len(msgs) > 0 {
			return nil, &Error{ID: r.ID, Field: "metadata.namespace", Err: fmt.Errorf("%q is not a namespace name: %s", ns, msgs[0])}
		}
	}
	return u, nil
}

// Include renders r's includeWhen: true when it is empty.
func (rd *Renderer) Include(r *v1beta1.Resource, vars map[string]any) (bool, error) {
	if r.IncludeWhen == "" {
		return true, nil
	}
	s, err := rd.engine.RenderString(r.ID+"/includeWhen", r.IncludeWhen, vars)
	if err != nil {
		return false, &Error{ID: r.ID, Field: "includeWhen", Err: err}
	}
	inc, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return false, &Error{ID: r.ID, Field: "includeWhen", Err: fmt.Errorf("must render true or false, rendered %q", s)}
	}
	return inc, nil
}

func (rd *Renderer) body(b *template.Budget, r *v1beta1.Resource, vars map[string]any) (map[string]any, error) {
	hasSpec := r.Spec != nil && len(r.Spec.Raw) > 0
	switch {
	case hasSpec && r.Manifest != "":
		return nil, &Error{ID: r.ID, Err: errors.New("set spec or manifest, not both")}
	case r.Manifest != "":
		return rd.manifest(b, r, vars)
	case hasSpec:
		spec, err := rd.specs.get(r.ID, r.Spec.Raw)
		if err != nil {
			return nil, &Error{ID: r.ID, Field: "spec", Err: errors.Wrap(err, "not an object")}
		}
		out, err := rd.render(b, r.ID, spec, vars)
		if err != nil {
			return nil, err
		}
		m, _ := out.(map[string]any)
		return m, nil
	}
	return nil, &Error{ID: r.ID, Err: errors.New("has neither spec nor manifest")}
}

func (rd *Renderer) manifest(b *template.Budget, r *v1beta1.Resource, vars map[string]any) (map[string]any, error) {
	text, err := rd.engine.Render(b, r.ID+"/manifest", r.Manifest, vars)
	if err != nil {
		return nil, &Error{ID: r.ID, Field: "manifest", Err: err}
	}
	if err := rd.checkScalars(r, text, vars); err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(text), &obj); err != nil {
		return nil, &Error{ID: r.ID, Field: "manifest", Err: fmt.Errorf("the rendered manifest is not YAML: %w%s", err, around(text, err))}
	}
	if obj == nil {
		return nil, &Error{ID: r.ID, Field: "manifest", Err: errors.New("the rendered manifest is empty")}
	}
	return obj, nil
}

func (rd *Renderer) metadata(b *template.Budget, r *v1beta1.Resource, u *unstructured.Unstructured, vars map[string]any) error {
	str := func(field, text string) (string, error) {
		s, err := rd.engine.Render(b, r.ID+"/"+field, text, vars)
		if err != nil {
			return "", &Error{ID: r.ID, Field: field, Err: err}
		}
		return strings.TrimSpace(s), nil
	}
	if r.NameTemplate != "" {
		name, err := str("nameTemplate", r.NameTemplate)
		if err != nil {
			return err
		}
		u.SetName(name)
	}
	if err := checkName(r.ID, u); err != nil {
		return err
	}
	if r.TargetNamespace != "" && !isNamespace(u) {
		ns, err := str("targetNamespace", r.TargetNamespace)
		if err != nil {
			return err
		}
		if ns != "" {
			if msgs := validation.IsDNS1123Label(ns); len(msgs) > 0 {
				return &Error{ID: r.ID, Field: "targetNamespace", Err: fmt.Errorf("%q is not a namespace name: %s", ns, msgs[0])}
			}
			u.SetNamespace(ns)
		}
	}
	labels, err := rd.stringMap(b, r.ID, "labelsTemplate", r.LabelsTemplate, vars)
	if err != nil {
		return err
	}
	u.SetLabels(merge(u.GetLabels(), labels))
	annotations, err := rd.stringMap(b, r.ID, "annotationsTemplate", r.AnnotationsTemplate, vars)
	if err != nil {
		return err
	}
	u.SetAnnotations(merge(u.GetAnnotations(), annotations))
	return nil
}

func (rd *Renderer) stringMap(b *template.Budget, id, field string, m map[string]string, vars map[string]any) (map[string]string, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(m))
	for k, text := range m {
		f := field + "." + k
		s, err := rd.engine.Render(b, id+"/"+f, text, vars)
		if err != nil {
			return nil, &Error{ID: id, Field: f, Err: err}
		}
		out[k] = s
	}
	return out, nil
}

func checkName(id string, u *unstructured.Unstructured) error {
	name := u.GetName()
	if name == "" {
		return &Error{ID: id, Field: "nameTemplate", Err: errors.New("the name renders empty: set nameTemplate or metadata.name")}
	}
	check := validation.IsDNS1123Subdomain
	if isNamespace(u) {
		check = validation.IsDNS1123Label
	}
	if msgs := check(name); len(msgs) > 0 {
		return &Error{ID: id, Field: "nameTemplate", Err: fmt.Errorf("%q is not a valid %s name: %s", name, u.GetKind(), msgs[0])}
	}
	return nil
}

func isNamespace(u *unstructured.Unstructured) bool {
	return u.GetKind() == "Namespace" && u.GetAPIVersion() == "v1"
}

// merge returns base with over's entries on top; nil when both are empty.
func merge(base, over map[string]string) map[string]string {
	if len(over) == 0 {
		return base
	}
	if base == nil {
		base = make(map[string]string, len(over))
	}
	for k, v := range over {
		base[k] = v
	}
	return base
}

// around quotes the rendered lines a YAML error points at, since the error's line is of the
// rendered text, which the user never sees.
func around(text string, err error) string {
	_, after, ok := strings.Cut(err.Error(), "line ")
	if !ok {
		return ""
	}
	digits := after
	if i := strings.IndexFunc(after, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		digits = after[:i]
	}
	n, convErr := strconv.Atoi(digits)
	lines := strings.Split(text, "\n")
	if convErr != nil || n < 1 || n > len(lines) {
		return ""
	}
	end := min(n+1, len(lines))
	return fmt.Sprintf(" (rendered lines %d-%d: %q)", n, end, strings.Join(lines[n-1:end], "\n"))
}
