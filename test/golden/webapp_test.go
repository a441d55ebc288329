package golden_test

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// composedIDs returns the ids of the composed resources in a render golden.
func composedIDs(t *testing.T, golden string) []string {
	t.Helper()
	raw, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, doc := range strings.Split(string(raw), "\n---\n") {
		var m struct {
			Metadata struct {
				Annotations map[string]string `json:"annotations"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatal(err)
		}
		if id := m.Metadata.Annotations["crossplane.io/composition-resource-name"]; id != "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// TestWebAppFlagFlip reads the web-app goldens (which TestRenderExamples checks against the
// real crossplane CLI): with the feature flag on the search service is composed; flipping it
// off leaves it out of the desired state, so Crossplane deletes it, while the retained volume
// and everything else stay.
func TestWebAppFlagFlip(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		golden string
		want   []string
	}{
		"On":  {"feature_search on composes search and search-svc", examplesDir + "/web-app/render/02-settled/expected.yaml", []string{"blue", "data", "green", "migrate", "search", "search-svc", "web-svc"}},
		"Off": {"feature_search off leaves search and search-svc out", examplesDir + "/web-app/render/03-search-off-green/expected.yaml", []string{"blue", "data", "green", "migrate", "web-svc"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, composedIDs(t, tc.golden)); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
