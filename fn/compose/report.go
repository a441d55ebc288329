package compose

import (
	"fmt"
	"strings"

	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/rowplane/rowplane/fn/rollout"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// Where the per-tenant status lands on the composite resource (and, through Crossplane, on
// its claim), and the condition that summarises it.
const (
	statusField          = "status.rowplane"
	conditionResources   = "ResourcesReady"
	reasonAllReady       = "AllReady"
	reasonWaiting        = "Waiting"
	reasonResourceFailed = "ResourceFailed"
	reasonFormError      = "FormError"
)

// report writes the rollout's messages as results, its summary as a condition on the XR and
// its claim, and the per-resource status on the XR. While anything is withheld or failed the
// XR is explicitly not ready: Crossplane alone would call it ready once every emitted resource is.
func report(rsp *fnv1.RunFunctionResponse, r *rollout.Result) error {
	for _, m := range r.Messages {
		if m.Severity == rollout.SeverityWarning {
			response.Warning(rsp, errors.New(m.Text)).TargetCompositeAndClaim()
			continue
		}
		response.Normal(rsp, m.Text).TargetCompositeAndClaim()
	}
	summary := r.Status.Summary()
	switch {
	case r.Ready():
		response.ConditionTrue(rsp, conditionResources, reasonAllReady).WithMessage(summary).TargetCompositeAndClaim()
	case r.Status.FailedResources > 0:
		response.ConditionFalse(rsp, conditionResources, reasonResourceFailed).WithMessage(summary).TargetCompositeAndClaim()
	default:
		response.ConditionFalse(rsp, conditionResources, reasonWaiting).WithMessage(summary).TargetCompositeAndClaim()
	}

	return setStatus(rsp, r)
}

// setStatus sets statusField on the desired composite resource in rsp and its readiness, as
// crossplane-runtime's SetValue on the decoded resource would, without decoding it: only the
// path to the field is copied, so the request's resource is left as it was.
func setStatus(rsp *fnv1.RunFunctionResponse, r *rollout.Result) error {
	if rsp.GetDesired() == nil {
		rsp.Desired = &fnv1.State{}
	}
	old := rsp.GetDesired().GetComposite()
	xr := copyFields(old.GetResource())
	status := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	if v, ok := xr.Fields["status"]; ok {
		s := v.GetStructValue()
		if s == nil {
			return errors.Errorf("cannot set %s: status of the desired composite resource is not an object", statusField)
		}
		status = copyFields(s)
	}
	status.Fields["rowplane"] = structpb.NewStructValue(statusStruct(r.Status))
	xr.Fields["status"] = structpb.NewStructValue(status)
	out := &fnv1.Resource{Resource: xr, ConnectionDetails: old.GetConnectionDetails(), Ready: fnv1.Ready_READY_UNSPECIFIED}
	if !r.Ready() {
		out.Ready = fnv1.Ready_READY_FALSE
	}
	rsp.Desired.Composite = out
	return nil
}

// readyOf is "ready/desired", e.g. "2/3", for printer columns.
func readyOf(s rollout.Status) string {
	return fmt.Sprintf("%d/%d", s.ReadyResources, s.DesiredResources)
}

// copyFields returns a new Struct with the fields of s.
func copyFields(s *structpb.Struct) *structpb.Struct {
	out := &structpb.Struct{Fields: make(map[string]*structpb.Value, len(s.GetFields())+1)}
	for k, v := range s.GetFields() {
		out.Fields[k] = v
	}
	return out
}

// statusStruct is s as its JSON encoding would decode to, plus readyOfDesired ("2/3") for
// printer columns.
func statusStruct(s rollout.Status) *structpb.Struct {
	num := func(n int) *structpb.Value { return structpb.NewNumberValue(float64(n)) }
	str := structpb.NewStringValue
	f := map[string]*structpb.Value{
		"desiredResources": num(s.DesiredResources),
		"readyResources":   num(s.ReadyResources),
		"failedResources":  num(s.FailedResources),
		"skippedResources": num(s.SkippedResources),
		"waitingResources": num(s.WaitingResources),
		"readyOfDesired":   str(readyOf(s)),
	}
	if len(s.Resources) > 0 {
		list := make([]*structpb.Value, 0, len(s.Resources))
		for _, rs := range s.Resources {
			e := map[string]*structpb.Value{
				"id": str(rs.ID), "apiVersion": str(rs.APIVersion), "kind": str(rs.Kind),
				"name": str(rs.Name), "phase": str(string(rs.Phase)),
			}
			if rs.Namespace != "" {
				e["namespace"] = str(rs.Namespace)
			}
			if rs.Reason != "" {
				e["reason"] = str(rs.Reason)
			}
			list = append(list, structpb.NewStructValue(&structpb.Struct{Fields: e}))
		}
		f["resources"] = structpb.NewListValue(&structpb.ListValue{Values: list})
	}
	return &structpb.Struct{Fields: f}
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
