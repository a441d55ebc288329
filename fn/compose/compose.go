package compose

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/fn/graph"
	"github.com/rowplane/rowplane/fn/policy"
	"github.com/rowplane/rowplane/fn/ready"
	"github.com/rowplane/rowplane/fn/rollout"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// retainNamespace holds Retain wrappers of cluster-scoped objects composed by a cluster-scoped
// composite resource, which has no namespace of its own.
const retainNamespace = "crossplane-system"

// stepOutput is what one Form step renders: its included resources and their objects.
type stepOutput struct {
	// included are the resources whose includeWhen rendered true, in Form order.
	included []v1beta1.Resource
	// rendered are their objects after lifecycle policies, by id.
	rendered map[string]*unstructured.Unstructured
}

// renderStep renders every included resource and applies its lifecycle policies, collecting every
// error so one reconcile reports them all, in a stable order.
func (f *Function) renderStep(p *plan, vars map[string]any, xrNamespace string, observed map[resource.Name]resource.ObservedComposed) (*stepOutput, error) {
	if p.invalid != nil {
		return nil, p.invalid
	}
	resources := p.resources
	s := &stepOutput{rendered: make(map[string]*unstructured.Unstructured, len(resources))}
	var errs []string
	for i := range resources {
		r := &resources[i]
		inc, err := f.renderer.Include(r, vars)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if !inc {
			continue
		}
		obj, err := f.resourceObject(p, r, vars, xrNamespace, observedObject(observed, r.ID))
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		s.included = append(s.included, *r)
		s.rendered[r.ID] = obj
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, errors.New(strings.Join(errs, "; "))
	}
	return s, nil
}

// validate checks every resource of the Form before anything renders: its enum fields and
// timeout, its readyWhen expression and its ignoreFields paths. It covers resources that do
// not exist yet and those includeWhen leaves out, so a typo fails the first reconcile, not
// the one after the object appears. Its result is part of the plan, so every request carrying
// the Form gets it, whichever of its objects are rendered or frozen.
func validate(resources []v1beta1.Resource, cel *ready.CEL) error {
	var problems []string
	for i := range resources {
		r := &resources[i]
		for _, err := range r.Validate() {
			problems = append(problems, err.Error())
		}
		if r.ReadyWhen != "" {
			if err := cel.Compile(r.ReadyWhen); err != nil {
				problems = append(problems, fmt.Sprintf("resource %q field readyWhen: %v (want a CEL expression over object that returns bool)", r.ID, err))
			}
		}
		for j, p := range r.IgnoreFields {
			if _, err := policy.CheckIgnorePath(p); err != nil {
				problems = append(problems, fmt.Sprintf("resource %q field ignoreFields[%d]: %v", r.ID, j, err))
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return errors.Errorf("invalid Form: %s", strings.Join(problems, "; "))
}

// items lists every resource of this and earlier Form steps for the rollout, in graph order.
func (s *stepOutput) items(order []string, earlier []stepResource, desired map[resource.Name]*resource.DesiredComposed, observed map[resource.Name]resource.ObservedComposed, applied map[resource.Name]time.Time) []rollout.Item {
	specs := make(map[string]v1beta1.Resource, len(order))
	objs := make(map[string]*unstructured.Unstructured, len(order))
	for _, e := range earlier {
		specs[e.Resource.ID] = e.Resource
		objs[e.Resource.ID] = e.object()
		if d := desired[resource.Name(e.Resource.ID)]; d != nil {
			objs[e.Resource.ID] = &d.Resource.Unstructured
		}
	}
	for _, r := range s.included {
		specs[r.ID] = r
		objs[r.ID] = s.rendered[r.ID]
	}
	items := make([]rollout.Item, 0, len(order))
	for _, id := range order {
		it := rollout.Item{ID: id, Resource: specs[id], Desired: objs[id]}
		if o := observedObject(observed, id); o != nil {
			it.Observed = policy.Unwrap(o)
			if policy.IsWrapper(o) {
				it.Wrapper = o
			}
			it.ObservedCreated = rollout.Created(o)
			it.LastChanged = applied[resource.Name(id)]
		}
		items = append(items, it)
	}
	return items
}

// nodes are the dependency graph's nodes: every resource of earlier steps and this one.
func nodes(earlier []stepResource, included []v1beta1.Resource) []graph.Node {
	ns := make([]graph.Node, 0, len(earlier)+len(included))
	for _, e := range earlier {
		ns = append(ns, graph.Node{ID: e.Resource.ID, DependIDs: e.Resource.DependIDs})
	}
	for _, r := range included {
		ns = append(ns, graph.Node{ID: r.ID, DependIDs: r.DependIDs})
	}
	return ns
}

// checkIDs refuses duplicate ids within the Form and ids an earlier pipeline step composed.
func checkIDs(resources []v1beta1.Resource, desired map[resource.Name]*resource.DesiredComposed, earlier []stepResource) error {
	before := make(map[string]bool, len(earlier))
	for _, e := range earlier {
		before[e.Resource.ID] = true
	}
	seen := make(map[string]bool, len(resources))
	var problems []string
	for _, r := range resources {
		switch {
		case r.ID == "":
			problems = append(problems, "a resource has no id")
		case seen[r.ID]:
			problems = append(problems, fmt.Sprintf("id %q is used more than once", r.ID))
		case before[r.ID] || desired[resource.Name(r.ID)] != nil:
			problems = append(problems, fmt.Sprintf("id %q is already composed by an earlier pipeline step", r.ID))
		}
		seen[r.ID] = true
	}
	if len(problems) > 0 {
		return errors.Errorf("invalid Form: %s", strings.Join(problems, "; "))
	}
	return nil
}

func observedObject(observed map[resource.Name]resource.ObservedComposed, id string) *unstructured.Unstructured {
	o, ok := observed[resource.Name(id)]
	if !ok || o.Resource == nil {
		return nil
	}
	return &o.Resource.Unstructured
}

// unwrapAll returns the observed objects by id for templates (.observed.<id>), with Retain
// wrappers replaced by the objects they manage.
func unwrapAll(observed map[resource.Name]resource.ObservedComposed) map[resource.Name]map[string]any {
	out := make(map[resource.Name]map[string]any, len(observed))
	for name, o := range observed {
		if u := policy.Unwrap(&o.Resource.Unstructured); u != nil {
			out[name] = u.Object
		}
	}
	return out
}
