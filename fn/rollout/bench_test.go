package rollout

import (
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/fn/ready"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// BenchmarkDecide decides on a 50-resource tenant chain with a readyWhen on every other
// resource. Goal: well under 1 ms per tenant, so readiness never dominates a reconcile.
func BenchmarkDecide(b *testing.B) {
	items := make([]Item, 50)
	for i := range items {
		id := fmt.Sprintf("r%02d", i)
		res := v1beta1.Resource{ID: id}
		if i > 0 {
			res.DependIDs = []string{items[i-1].ID}
		}
		if i%2 == 0 {
			res.ReadyWhen = `object.status.phase == "Ready"`
		}
		o := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "example.org/v1", "kind": "Widget",
			"metadata": map[string]any{"name": id, "namespace": "t"},
			"status":   map[string]any{"phase": "Ready", "conditions": []any{map[string]any{"type": "Ready", "status": "True"}}},
		}}
		items[i] = Item{ID: id, Resource: res, Desired: o, Observed: o, ObservedCreated: now.Add(-time.Hour)}
	}
	in := Input{Items: items, Now: now, CEL: ready.NewCEL(16)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(in); err != nil {
			b.Fatal(err)
		}
	}
}
