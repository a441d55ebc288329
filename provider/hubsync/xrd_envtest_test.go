package hubsync_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// installXRDs creates the XRDs of testdata/xrds, which the testdata CRDs name as their
// controller the way Crossplane's generated CRDs do: a Hub only writes the claim and composite
// kinds of XRDs. They are cluster-scoped and the same for every test, so an existing one is
// fine (two runs may share the API server).
func installXRDs(cfg *rest.Config) error {
	c, err := client.New(cfg, client.Options{})
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join("testdata", "xrds", "*.yaml"))
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // a testdata file of this package.
		if err != nil {
			return err
		}
		for _, doc := range strings.Split(string(b), "\n---\n") {
			u := &unstructured.Unstructured{}
			if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
				return err
			}
			if err := c.Create(context.Background(), u); err != nil && !kerrors.IsAlreadyExists(err) {
				return err
			}
		}
	}
	return nil
}
