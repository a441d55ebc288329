package compose

import (
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/rowplane/rowplane/fn/rollout"
)

// observedResources returns the observed composed resources of req, and when Crossplane last
// applied each (rollout.LastApplied). It is request.GetObservedComposedResources without
// metadata.managedFields, at any depth: only that time is read from them, and on a live
// object they are often larger than the rest of it. Templates therefore see
// .observed.<id> without managedFields.
func observedResources(req *fnv1.RunFunctionRequest) (map[resource.Name]resource.ObservedComposed, map[resource.Name]time.Time) {
	in := req.GetObserved().GetResources()
	out := make(map[resource.Name]resource.ObservedComposed, len(in))
	applied := make(map[resource.Name]time.Time, len(in))
	for name, r := range in {
		o := resource.ObservedComposed{Resource: composed.New(), ConnectionDetails: r.GetConnectionDetails()}
		if o.ConnectionDetails == nil {
			o.ConnectionDetails = make(resource.ConnectionDetails)
		}
		o.Resource.SetUnstructuredContent(structMap(r.GetResource(), false))
		out[resource.Name(name)] = o
		applied[resource.Name(name)] = rollout.LastAppliedStruct(r.GetResource())
	}
	return out, applied
}

// structMap is s.AsMap(), without managedFields when s is an object's metadata.
func structMap(s *structpb.Struct, metadata bool) map[string]any {
	m := make(map[string]any, len(s.GetFields()))
	for k, v := range s.GetFields() {
		if metadata && k == "managedFields" {
			continue
		}
		m[k] = valueOf(v, k == "metadata")
	}
	return m
}

func valueOf(v *structpb.Value, metadata bool) any {
	switch k := v.GetKind().(type) {
	case *structpb.Value_StructValue:
		return structMap(k.StructValue, metadata)
	case *structpb.Value_ListValue:
		l := make([]any, len(k.ListValue.GetValues()))
		for i, e := range k.ListValue.GetValues() {
			l[i] = valueOf(e, false)
		}
		return l
	}
	return v.AsInterface()
}
