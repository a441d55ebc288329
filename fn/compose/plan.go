package compose

import (
	"encoding/json"
	"hash/maphash"

	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/utils/lru"

	"github.com/rowplane/rowplane/fn/metrics"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// Cache sizes. A plan is one Composition's Form; a struct is one composed object as rendered
// for one tenant, so that cache holds the steady objects of about a thousand tenants.
const (
	defaultPlanCacheSize   = 256
	defaultStructCacheSize = 4096
)

// A plan is what a Form input decodes to, kept for every request that carries the same input:
// the Form, its resources, the result of validating them and each resource as the pipeline
// context carries it. It is shared by concurrent calls and never modified after newPlan.
type plan struct {
	// input is the input the plan was decoded from, to confirm a cache hit. It is the
	// request's own Struct, not a copy: copying cost a tenth of a first reconcile, and a
	// request is not modified once the function has it (gRPC decodes a new one per call).
	input     *structpb.Struct
	form      *v1beta1.Form
	resources []v1beta1.Resource
	// invalid is the validation error of the Form, nil when it is valid.
	invalid error
	// steps is each resource by id as the pipeline context carries it: templates stripped.
	steps map[string]*structpb.Value
}

// planCache keeps plans by a hash of their input.
type planCache struct {
	seed maphash.Seed
	lru  *lru.Cache
}

func newPlanCache(size int) *planCache {
	return &planCache{seed: maphash.MakeSeed(), lru: lru.New(size)}
}

// plan returns the plan of req's input, decoding it only when no equal input was seen.
func (f *Function) plan(req *fnv1.RunFunctionRequest) (*plan, error) {
	in := req.GetInput()
	key := hashStruct(f.plans.seed, in)
	if v, ok := f.plans.lru.Get(key); ok {
		if p := v.(*plan); equalStruct(p.input, in) {
			return p, nil
		}
	}
	p, err := f.newPlan(req)
	if err != nil {
		return nil, err
	}
	f.plans.lru.Add(key, p)
	return p, nil
}

func (f *Function) newPlan(req *fnv1.RunFunctionRequest) (*plan, error) {
	form := &v1beta1.Form{}
	if err := request.GetInput(req, form); err != nil {
		return nil, fail(metrics.ReasonInput, errors.Wrap(err, "cannot read the Form input"))
	}
	p := &plan{
		input:     req.GetInput(),
		form:      form,
		resources: form.Spec.All(),
		steps:     map[string]*structpb.Value{},
	}
	if p.input == nil {
		p.input = &structpb.Struct{}
	}
	p.invalid = validate(p.resources, f.cel)
	for _, r := range p.resources {
		r.Spec, r.Manifest = nil, ""
		r.LabelsTemplate, r.AnnotationsTemplate = nil, nil
		raw, err := json.Marshal(r)
		if err != nil {
			return nil, fail(metrics.ReasonOutput, errors.Wrap(err, "cannot write the pipeline context"))
		}
		v := &structpb.Value{}
		if err := v.UnmarshalJSON(raw); err != nil {
			return nil, fail(metrics.ReasonOutput, errors.Wrap(err, "cannot write the pipeline context"))
		}
		p.steps[r.ID] = v
	}
	return p, nil
}
