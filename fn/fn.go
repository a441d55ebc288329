package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/response"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/fn/render"
	"github.com/rowplane/rowplane/fn/values"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// Function renders Form resources into composed resources.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log      logging.Logger
	renderer *render.Renderer
}

// NewFunction returns a Function that renders through renderer.
func NewFunction(log logging.Logger, renderer *render.Renderer) *Function {
	return &Function{log: log, renderer: renderer}
}

// RunFunction renders every resource of the Form for the observed composite resource. Any
// failure is Fatal and emits no desired state, because a partial desired state would make
// Crossplane delete what was left out.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := response.To(req, response.DefaultTTL)

	form := &v1beta1.Form{}
	if err := request.GetInput(req, form); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read the Form input"))
		return rsp, nil
	}
	xr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read the observed composite resource"))
		return rsp, nil
	}
	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read the observed composed resources"))
		return rsp, nil
	}
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read the desired composed resources"))
		return rsp, nil
	}
	log := f.log.WithValues("xr", xr.Resource.GetName(), "xr-kind", xr.Resource.GetKind())

	resources := form.Spec.All()
	if err := checkIDs(resources, desired); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	vars, err := values.Build(xr.Resource, form.Spec.GetValuesFrom(), form.Spec.HubID, observedObjects(observed))
	if err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	objs, err := f.renderAll(resources, vars, xr.Resource.GetNamespace())
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot render the Form; nothing was changed"))
		return rsp, nil
	}
	for i := range resources {
		id := resource.Name(resources[i].ID)
		desired[id] = &resource.DesiredComposed{Resource: &composed.Unstructured{Unstructured: *objs[i]}}
		log.Debug("rendered", "id", id, "kind", objs[i].GetKind(), "name", objs[i].GetName())
	}
	if err := response.SetDesiredComposedResources(rsp, desired); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set the desired composed resources"))
		return rsp, nil
	}
	noteIgnored(rsp, &form.Spec)
	return rsp, nil
}

// checkIDs refuses duplicate ids within the Form and ids an earlier pipeline step already
// composed.
func checkIDs(resources []v1beta1.Resource, desired map[resource.Name]*resource.DesiredComposed) error {
	seen := make(map[string]bool, len(resources))
	var problems []string
	for _, r := range resources {
		switch {
		case r.ID == "":
			problems = append(problems, "a resource has no id")
		case seen[r.ID]:
			problems = append(problems, fmt.Sprintf("id %q is used more than once", r.ID))
		case desired[resource.Name(r.ID)] != nil:
			problems = append(problems, fmt.Sprintf("id %q is already composed by an earlier pipeline step", r.ID))
		}
		seen[r.ID] = true
	}
	if len(problems) > 0 {
		return errors.Errorf("invalid Form: %s", strings.Join(problems, "; "))
	}
	return nil
}

// renderAll renders every resource, collecting every error so one reconcile reports them all.
func (f *Function) renderAll(resources []v1beta1.Resource, vars map[string]any, xrNamespace string) ([]*unstructured.Unstructured, error) {
	objs := make([]*unstructured.Unstructured, len(resources))
	var errs []string
	for i := range resources {
		u, err := f.renderer.Resource(&resources[i], vars)
		if err == nil && xrNamespace != "" && u.GetNamespace() != "" && u.GetNamespace() != xrNamespace {
			err = errors.Errorf("resource %q: targetNamespace %q differs from the composite resource's namespace %q; a namespaced composite resource composes only into its own namespace (use a cluster-scoped XR or a claim to compose into other namespaces)", resources[i].ID, u.GetNamespace(), xrNamespace)
		}
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		objs[i] = u
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, errors.New(strings.Join(errs, "; "))
	}
	return objs, nil
}

func observedObjects(observed map[resource.Name]resource.ObservedComposed) map[resource.Name]map[string]any {
	out := make(map[resource.Name]map[string]any, len(observed))
	for name, o := range observed {
		out[name] = o.Resource.Object
	}
	return out
}

// noteIgnored says which LynqForm fields were accepted but have no effect on Crossplane.
func noteIgnored(rsp *fnv1.RunFunctionResponse, spec *v1beta1.FormSpec) {
	var ignored []string
	if spec.HubID != "" {
		ignored = append(ignored, "hubId (the Hub selects the Composition)")
	}
	if spec.Rollout != nil {
		ignored = append(ignored, "rollout (Crossplane reconciles each composite resource on its own)")
	}
	if len(ignored) > 0 {
		response.Normalf(rsp, "Form fields accepted for LynqForm compatibility and ignored: %s", strings.Join(ignored, ", "))
	}
}
