package compose

import (
	"context"
	"time"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/response"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/lru"

	"github.com/rowplane/rowplane/fn/graph"
	"github.com/rowplane/rowplane/fn/metrics"
	"github.com/rowplane/rowplane/fn/ready"
	"github.com/rowplane/rowplane/fn/render"
	"github.com/rowplane/rowplane/fn/rollout"
	"github.com/rowplane/rowplane/fn/values"
)

// Function renders Form resources into composed resources, in dependency order.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log      logging.Logger
	renderer *render.Renderer
	cel      *ready.CEL
	now      func() time.Time
	metrics  *metrics.Metrics
	plans    *planCache
	structs  *structCache
	frozen   *lru.Cache
}

// New returns a Function that renders through renderer and tells time with now.
func New(log logging.Logger, renderer *render.Renderer, now func() time.Time) *Function {
	return &Function{
		log: log, renderer: renderer, cel: ready.NewCEL(ready.DefaultCacheSize), now: now,
		plans: newPlanCache(defaultPlanCacheSize), structs: newStructCache(defaultStructCacheSize),
		frozen: lru.New(defaultFrozenCacheSize),
	}
}

// WithMetrics makes f record every call in m.
func (f *Function) WithMetrics(m *metrics.Metrics) *Function {
	f.metrics = m
	return f
}

// failure is an error with the reason the metrics count it under.
type failure struct {
	reason string
	error
}

func (e failure) Unwrap() error { return e.error }

// fail tags err with reason; nil stays nil.
func fail(reason string, err error) error {
	if err == nil {
		return nil
	}
	return failure{reason: reason, error: err}
}

// RunFunction renders the Form for the observed composite resource and emits what the
// rollout allows. Any failure is Fatal and emits no desired state, because a partial desired
// state would make Crossplane delete what was left out.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	start := time.Now()
	rsp := response.To(req, response.DefaultTTL)
	reason := ""
	if err := f.run(req, rsp); err != nil {
		reason = metrics.ReasonForm
		var fe failure
		if errors.As(err, &fe) {
			reason = fe.reason
		}
		response.Fatal(rsp, err)
		// Crossplane applies conditions even from a Fatal response: this puts the reason on
		// the claim too, where the tenant's owner looks, not only in the XR's events.
		response.ConditionFalse(rsp, conditionResources, reasonFormError).WithMessage(err.Error()).TargetCompositeAndClaim()
	}
	f.metrics.Observe(time.Since(start), reason)
	return rsp, nil
}

func (f *Function) run(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) error {
	p, err := f.plan(req)
	if err != nil {
		return err
	}
	form := p.form
	xr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		return fail(metrics.ReasonInput, errors.Wrap(err, "cannot read the observed composite resource"))
	}
	observed, applied := observedResources(req)
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		return fail(metrics.ReasonInput, errors.Wrap(err, "cannot read the desired composed resources"))
	}
	earlier, err := readSteps(req)
	if err != nil {
		return fail(metrics.ReasonInput, err)
	}
	log := f.log.WithValues("xr", xr.Resource.GetName(), "xr-kind", xr.Resource.GetKind())

	if err := checkIDs(p.resources, desired, earlier); err != nil {
		return err
	}
	live := unwrapAll(observed)
	vars, err := values.Build(xr.Resource, form.Spec.GetValuesFrom(), form.Spec.HubID, live)
	if err != nil {
		return err
	}
	step, err := f.renderStep(p, vars, xr.Resource.GetNamespace(), observed)
	if err != nil {
		return fail(metrics.ReasonRender, errors.Wrap(err, "cannot render the Form; nothing was changed"))
	}
	g, err := graph.New(nodes(earlier, step.included))
	if err != nil {
		return errors.Wrap(err, "invalid dependIds; nothing was changed")
	}
	items := step.items(g.Order(), earlier, desired, observed, applied)
	result, err := rollout.Decide(rollout.Input{Items: items, Now: f.now(), CEL: f.cel})
	if err != nil {
		return errors.Wrap(err, "cannot decide the rollout; nothing was changed")
	}
	keepDesired(rsp)
	for _, d := range result.Decisions {
		obj, ours := step.rendered[d.ID]
		if !ours {
			continue
		}
		if !d.Emit {
			log.Debug("withheld", "id", d.ID, "phase", d.Phase, "reason", d.Reason)
			continue
		}
		if err := f.emit(rsp, d.ID, obj, d.Ready); err != nil {
			return fail(metrics.ReasonOutput, errors.Wrap(err, "cannot set the desired composed resources"))
		}
		log.Debug("emitted", "id", d.ID, "kind", obj.GetKind(), "name", obj.GetName(), "phase", d.Phase)
	}
	if err := report(rsp, result); err != nil {
		return fail(metrics.ReasonOutput, err)
	}
	if err := writeSteps(rsp, p, earlier, step.included, step.rendered); err != nil {
		return fail(metrics.ReasonOutput, err)
	}
	noteIgnored(rsp, &form.Spec)
	return nil
}

// emit sets obj as the desired composed resource id in rsp. An object equal to one emitted
// before reuses that one's Struct instead of converting again.
func (f *Function) emit(rsp *fnv1.RunFunctionResponse, id string, obj *unstructured.Unstructured, ready bool) error {
	s, err := f.structs.get(obj.Object)
	if err != nil {
		return errors.Wrapf(err, "resource %q", id)
	}
	r := &fnv1.Resource{Resource: s, Ready: fnv1.Ready_READY_FALSE}
	if ready {
		r.Ready = fnv1.Ready_READY_TRUE
	}
	rsp.Desired.Resources[id] = r
	return nil
}

// keepDesired makes sure rsp has a desired state with a map of composed resources. Those of
// earlier pipeline steps pass through as they came, without their connection details,
// which composed resources do not carry.
func keepDesired(rsp *fnv1.RunFunctionResponse) {
	if rsp.GetDesired() == nil {
		rsp.Desired = &fnv1.State{}
	}
	if rsp.Desired.Resources == nil {
		rsp.Desired.Resources = map[string]*fnv1.Resource{}
	}
	for name, r := range rsp.Desired.Resources {
		if len(r.GetConnectionDetails()) > 0 {
			rsp.Desired.Resources[name] = &fnv1.Resource{Resource: r.GetResource(), Ready: r.GetReady()}
		}
	}
}
