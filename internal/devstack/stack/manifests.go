package stack

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/internal/devstack/controlplane"
)

// FieldOwner is the server-side apply field manager of everything applied here.
const FieldOwner = "rowplane-e2e"

// Load reads the YAML documents of a file of the example, name relative to ExampleDir.
func Load(root, name string) ([]*unstructured.Unstructured, error) {
	return LoadExample(root, ExampleDir, name)
}

// LoadExample reads the YAML documents of a file of an example, name relative to its folder
// dir (relative to root).
func LoadExample(root, dir, name string) ([]*unstructured.Unstructured, error) {
	b, err := os.ReadFile(filepath.Join(root, dir, name)) //nolint:gosec // the examples' files.
	if err != nil {
		return nil, errors.Wrap(err, "read example")
	}
	objs, err := Decode(b)
	return objs, errors.Wrapf(err, "decode %s", name)
}

// Decode splits a YAML stream into objects, skipping empty documents.
func Decode(b []byte) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	for {
		u := &unstructured.Unstructured{}
		err := d.Decode(&u.Object)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, errors.Wrap(err, "decode YAML")
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}

// Apply server-side applies objects as FieldOwner, retrying while their kind is not served yet.
func Apply(ctx context.Context, c client.Client, objs ...*unstructured.Unstructured) error {
	for _, o := range objs {
		o.SetManagedFields(nil)
		o.SetResourceVersion("")
		err := controlplane.Eventually(ctx, applyTimeout, 500*time.Millisecond, func() error {
			return c.Patch(ctx, o.DeepCopy(), client.Apply, client.FieldOwner(FieldOwner), client.ForceOwnership) //nolint:staticcheck // unstructured apply.
		})
		if err != nil {
			return errors.Wrapf(err, "apply %s %s", o.GetKind(), o.GetName())
		}
	}
	return nil
}
