// Package simulate runs a composition function the way Crossplane would, reconcile after
// reconcile, with every composed resource created and made ready by stand-in controllers
// between steps, until the desired state stops changing. It needs no cluster.
package simulate

import (
	"context"
	"sort"

	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/internal/settled"
)

// AnnotationResourceName is the annotation Crossplane puts on a composed resource with its
// name (id) in the composition; crossplane render reads it from observed resources.
const AnnotationResourceName = "crossplane.io/composition-resource-name"

// A Runner is a composition function.
type Runner interface {
	RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error)
}

// A Step is one reconcile.
type Step struct {
	// Request is what the function was sent.
	Request *fnv1.RunFunctionRequest
	// Response is what it answered.
	Response *fnv1.RunFunctionResponse
	// Emitted are the ids of the desired composed resources, sorted.
	Emitted []string
	// New are the ids emitted for the first time in this step, sorted.
	New []string
}

// Options tune a simulation.
type Options struct {
	// MaxSteps bounds the reconciles (default 20).
	MaxSteps int
	// NotReady lists ids whose stand-in controller never reports them ready.
	NotReady map[string]bool
}

// Run reconciles req until the set of emitted resources and their readiness stop changing,
// or a Fatal result ends the pipeline. Between steps every emitted object is observed as
// created and, unless listed in NotReady, ready (settled.Status).
func Run(ctx context.Context, fn Runner, req *fnv1.RunFunctionRequest, o Options) ([]Step, error) {
	if o.MaxSteps <= 0 {
		o.MaxSteps = 20
	}
	var steps []Step
	cur := proto.Clone(req).(*fnv1.RunFunctionRequest)
	seen := map[string]bool{}
	for i := 0; i < o.MaxSteps; i++ {
		rsp, err := fn.RunFunction(ctx, cur)
		if err != nil {
			return steps, errors.Wrapf(err, "step %d", i+1)
		}
		s := Step{Request: cur, Response: rsp}
		for id := range rsp.GetDesired().GetResources() {
			s.Emitted = append(s.Emitted, id)
			if !seen[id] {
				s.New = append(s.New, id)
				seen[id] = true
			}
		}
		sort.Strings(s.Emitted)
		sort.Strings(s.New)
		steps = append(steps, s)
		if fatal(rsp) || (i > 0 && len(s.New) == 0 && sameObserved(cur, rsp, o)) {
			return steps, nil
		}
		next, err := observe(cur, rsp, o)
		if err != nil {
			return steps, errors.Wrapf(err, "step %d", i+1)
		}
		cur = next
	}
	return steps, errors.Errorf("the rollout did not settle within %d steps", o.MaxSteps)
}

func fatal(rsp *fnv1.RunFunctionResponse) bool {
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			return true
		}
	}
	return false
}

// observe builds the next request: the desired objects of rsp become observed, with the
// status their controllers would report.
func observe(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, o Options) (*fnv1.RunFunctionRequest, error) {
	next := proto.Clone(req).(*fnv1.RunFunctionRequest)
	next.Observed.Resources = map[string]*fnv1.Resource{}
	for id, r := range rsp.GetDesired().GetResources() {
		obj, err := stood(id, r, o)
		if err != nil {
			return nil, err
		}
		next.Observed.Resources[id] = &fnv1.Resource{Resource: obj}
	}
	if c := rsp.GetDesired().GetComposite(); c != nil && c.GetResource() != nil {
		// Crossplane writes the function's status onto the XR between reconciles.
		xr := next.Observed.Composite.Resource.AsMap()
		if st, ok := c.GetResource().AsMap()["status"]; ok {
			xr["status"] = st
		}
		s, err := structpb.NewStruct(xr)
		if err != nil {
			return nil, errors.Wrap(err, "cannot observe the composite resource")
		}
		next.Observed.Composite.Resource = s
	}
	return next, nil
}

func stood(id string, r *fnv1.Resource, o Options) (*structpb.Struct, error) {
	u := &unstructured.Unstructured{Object: r.GetResource().AsMap()}
	if !o.NotReady[id] {
		u = settled.Status(u)
	}
	// Crossplane marks every composed resource with its name in the composition.
	ann := u.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[AnnotationResourceName] = id
	u.SetAnnotations(ann)
	s, err := structpb.NewStruct(u.Object)
	return s, errors.Wrapf(err, "cannot observe resource %q", id)
}

// sameObserved reports whether observing rsp would change nothing the function sees.
func sameObserved(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, o Options) bool {
	next, err := observe(req, rsp, o)
	if err != nil {
		return false
	}
	return proto.Equal(next.GetObserved(), req.GetObserved())
}
