package compose

import (
	"encoding/json"

	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/response"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/input/v1beta1"
)

// contextKey carries the resources of earlier Form steps through the pipeline context, so a
// later step can depend on them, refuse their ids and report the whole tenant's status.
const contextKey = "rowplane.io/form-resources"

// stepResource is what a later step needs of an earlier step's resource: its scheduling
// fields (templates stripped) and the identity of what it rendered.
type stepResource struct {
	Resource   v1beta1.Resource `json:"resource"`
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Name       string           `json:"name"`
	Namespace  string           `json:"namespace,omitempty"`
}

// object returns a stand-in for the rendered object of an earlier step's resource that this
// step does not see in the desired state (it was withheld).
func (s stepResource) object() *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(s.APIVersion)
	u.SetKind(s.Kind)
	u.SetName(s.Name)
	u.SetNamespace(s.Namespace)
	return u
}

func readSteps(req *fnv1.RunFunctionRequest) ([]stepResource, error) {
	v, ok := request.GetContextKey(req, contextKey)
	if !ok {
		return nil, nil
	}
	raw, err := v.MarshalJSON()
	if err != nil {
		return nil, errors.Wrapf(err, "cannot read pipeline context %q", contextKey)
	}
	var out []stepResource
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, errors.Wrapf(err, "cannot read pipeline context %q", contextKey)
	}
	return out, nil
}

// writeSteps sets the pipeline context to the earlier steps' resources and this step's. Its
// own resources come from the plan as structpb, built once per Form; only the identity of
// what each rendered is new on every call.
func writeSteps(rsp *fnv1.RunFunctionResponse, p *plan, earlier []stepResource, included []v1beta1.Resource, rendered map[string]*unstructured.Unstructured) error {
	values := make([]*structpb.Value, 0, len(earlier)+len(included))
	if len(earlier) > 0 {
		raw, err := json.Marshal(earlier)
		if err != nil {
			return errors.Wrap(err, "cannot write the pipeline context")
		}
		v := &structpb.Value{}
		if err := v.UnmarshalJSON(raw); err != nil {
			return errors.Wrap(err, "cannot write the pipeline context")
		}
		values = append(values, v.GetListValue().GetValues()...)
	}
	for _, r := range included {
		obj := rendered[r.ID]
		fields := map[string]*structpb.Value{
			"resource":   p.steps[r.ID],
			"apiVersion": structpb.NewStringValue(obj.GetAPIVersion()),
			"kind":       structpb.NewStringValue(obj.GetKind()),
			"name":       structpb.NewStringValue(obj.GetName()),
		}
		if ns := obj.GetNamespace(); ns != "" {
			fields["namespace"] = structpb.NewStringValue(ns)
		}
		values = append(values, structpb.NewStructValue(&structpb.Struct{Fields: fields}))
	}
	response.SetContextKey(rsp, contextKey, structpb.NewListValue(&structpb.ListValue{Values: values}))
	return nil
}
