package render

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/rowplane/rowplane/input/v1beta1"
	"github.com/rowplane/rowplane/internal/template"
)

func TestSpecCompiledOnce(t *testing.T) {
	t.Parallel()
	rd := New(template.New(template.Options{}))
	spec := &runtime.RawExtension{Raw: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"plan":"{{ .plan }}","n":"{{ .n | int }}"},"list":["{{ .plan }}",2]}`)}
	vars := map[string]any{"plan": "pro", "n": "3"}
	for i := range 2 {
		got, err := rd.Resource(&v1beta1.Resource{ID: "a", Spec: spec}, vars)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"},
			// data of a ConfigMap is always a string, even from int.
			"data": map[string]any{"plan": "pro", "n": "3"}, "list": []any{"pro", float64(2)}}
		if diff := cmp.Diff(want, got.Object); diff != "" {
			t.Errorf("render %d: a compiled spec renders as the spec: -want, +got:\n%s", i, diff)
		}
	}
	// The same spec under another id is its own: errors name that id and field.
	_, err := rd.Resource(&v1beta1.Resource{ID: "b", Spec: spec}, map[string]any{"plan": "pro", "n": "x"})
	var re *Error
	if !errors.As(err, &re) || re.ID != "b" || re.Field != "data.n" {
		t.Errorf("the same spec under id b: want an *Error for b, data.n; got %v", err)
	}
}
