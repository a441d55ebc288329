package policy

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"
)

// obj decodes YAML into an object with JSON's int64 numbers.
func obj(t *testing.T, s string) *unstructured.Unstructured {
	t.Helper()
	j, err := yaml.YAMLToJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := utiljson.Unmarshal(j, &m); err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}

// observe returns emitted as the API server would show it: with server-set metadata and a
// status.
func observe(t *testing.T, emitted *unstructured.Unstructured) *unstructured.Unstructured {
	t.Helper()
	o := emitted.DeepCopy()
	o.SetUID("1234")
	o.SetResourceVersion("42")
	o.SetGeneration(1)
	o.Object["status"] = map[string]any{"conditions": []any{map[string]any{"type": "Ready", "status": "True"}}}
	return o
}
