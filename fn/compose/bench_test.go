package compose

import (
	"context"
	"os"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"
)

// exampleRequest builds a request from the database-per-node example: its Form and its XR.
func exampleRequest(b *testing.B) *fnv1.RunFunctionRequest {
	b.Helper()
	read := func(p string) map[string]any {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		m := map[string]any{}
		if err := yaml.Unmarshal(raw, &m); err != nil {
			b.Fatal(err)
		}
		return m
	}
	comp := read("../../examples/database-per-node/composition.yaml")
	input := comp["spec"].(map[string]any)["pipeline"].([]any)[0].(map[string]any)["input"].(map[string]any)
	in, err := structpb.NewStruct(input)
	if err != nil {
		b.Fatal(err)
	}
	xr, err := structpb.NewStruct(read("../../examples/database-per-node/xr.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	return &fnv1.RunFunctionRequest{Input: in, Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: xr}}}
}

// BenchmarkRunFunctionCold measures the first call of a fresh function: every template parsed.
func BenchmarkRunFunctionCold(b *testing.B) {
	req := exampleRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		rsp, err := testFunction().RunFunction(context.Background(), req)
		if err != nil || len(rsp.GetResults()) > 0 && rsp.GetResults()[0].GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			b.Fatalf("RunFunction: %v %v", err, rsp.GetResults())
		}
	}
}

// BenchmarkRunFunctionCached measures repeated calls: parsed templates come from the cache.
func BenchmarkRunFunctionCached(b *testing.B) {
	req := exampleRequest(b)
	f := testFunction()
	if _, err := f.RunFunction(context.Background(), req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rsp, err := f.RunFunction(context.Background(), req)
		if err != nil || len(rsp.GetResults()) > 0 && rsp.GetResults()[0].GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			b.Fatalf("RunFunction: %v %v", err, rsp.GetResults())
		}
	}
}

// BenchmarkRunFunctionSteadyState measures a reconcile of a tenant whose every resource exists
// and is ready (render case 05-app-available): the cost Crossplane pays on every poll.
func BenchmarkRunFunctionSteadyState(b *testing.B) {
	req := exampleRequest(b)
	raw, err := os.ReadFile("../../examples/database-per-node/render/05-app-available/observed.yaml")
	if err != nil {
		b.Fatal(err)
	}
	req.Observed.Resources = map[string]*fnv1.Resource{}
	for _, doc := range strings.Split(string(raw), "\n---\n") {
		m := map[string]any{}
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil || len(m) == 0 {
			continue
		}
		s, err := structpb.NewStruct(m)
		if err != nil {
			b.Fatal(err)
		}
		id := m["metadata"].(map[string]any)["annotations"].(map[string]any)["crossplane.io/composition-resource-name"].(string)
		req.Observed.Resources[id] = &fnv1.Resource{Resource: s}
	}
	if len(req.Observed.Resources) != 3 {
		b.Fatalf("want 3 observed resources, got %d", len(req.Observed.Resources))
	}
	f := testFunction()
	b.ReportAllocs()
	for b.Loop() {
		rsp, err := f.RunFunction(context.Background(), req)
		if err != nil || len(rsp.GetDesired().GetResources()) != 3 {
			b.Fatalf("RunFunction: %v %v", err, rsp.GetResults())
		}
	}
}
