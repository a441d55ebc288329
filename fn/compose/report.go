package compose

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

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
func report(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, r *rollout.Result) error {
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

	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		return errors.Wrap(err, "cannot read the desired composite resource")
	}
	st, err := statusObject(r.Status)
	if err != nil {
		return err
	}
	if err := dxr.Resource.SetValue(statusField, st); err != nil {
		return errors.Wrapf(err, "cannot set %s", statusField)
	}
	if !r.Ready() {
		dxr.Ready = resource.ReadyFalse
	}
	return errors.Wrap(response.SetDesiredCompositeResource(rsp, dxr), "cannot set the desired composite resource")
}

// statusObject is the status as JSON-shaped data, plus readyOfDesired ("2/3") for printer columns.
func statusObject(s rollout.Status) (map[string]any, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, errors.Wrap(err, "cannot encode the tenant status")
	}
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, errors.Wrap(err, "cannot encode the tenant status")
	}
	out["readyOfDesired"] = fmt.Sprintf("%d/%d", s.ReadyResources, s.DesiredResources)
	return out, nil
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
