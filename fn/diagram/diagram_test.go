package diagram

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/rowplane/rowplane/input/v1beta1"
)

func TestDraw(t *testing.T) {
	t.Parallel()
	form := v1beta1.FormSpec{
		Namespaces: []v1beta1.Resource{{ID: "ns", Spec: &runtime.RawExtension{Raw: []byte(`{"apiVersion":"v1","kind":"Namespace"}`)}}},
		Manifests: []v1beta1.Resource{{ID: "rds-instance", DependIDs: []string{"ns"}, CreationPolicy: v1beta1.CreationOnce,
			DeletionPolicy: v1beta1.DeletionRetain, TimeoutSeconds: ptr.To[int32](1800),
			Manifest: "apiVersion: x/v1\nkind: RDSInstance\nspec: {}\n"}},
		Deployments: []v1beta1.Resource{{ID: "app", DependIDs: []string{"rds-instance"}, WaitForReady: ptr.To(false),
			Spec: &runtime.RawExtension{Raw: []byte(`{"kind":"Deployment"}`)}}},
	}
	cases := map[string]struct {
		reason string
		steps  []Step
		format string
		want   string
	}{
		"Mermaid": {
			reason: "one step draws resources with kind and non-default policies, edges from dependency to dependent",
			steps:  []Step{{Name: "render", Form: form}},
			format: FormatMermaid,
			want: `flowchart LR
  r_ns["ns<br/>Namespace"]
  r_app["app<br/>Deployment<br/>no wait"]
  r_rds_instance["rds-instance<br/>RDSInstance<br/>Once, Retain, timeout 30m0s"]
  r_ns --> r_rds_instance
  r_rds_instance --> r_app
`,
		},
		"Dot": {
			reason: "dot draws the same graph",
			steps:  []Step{{Name: "render", Form: form}},
			format: FormatDot,
			want: `digraph form {
  rankdir=LR;
  node [shape=box];
  r_ns [label="ns\nNamespace"];
  r_app [label="app\nDeployment\nno wait"];
  r_rds_instance [label="rds-instance\nRDSInstance\nOnce, Retain, timeout 30m0s"];
  r_ns -> r_rds_instance;
  r_rds_instance -> r_app;
}
`,
		},
		"Steps": {
			reason: "several Form steps become subgraphs, with edges across them",
			steps: []Step{{Name: "base", Form: v1beta1.FormSpec{Namespaces: form.Namespaces}},
				{Name: "apps", Form: v1beta1.FormSpec{Deployments: []v1beta1.Resource{{ID: "web", DependIDs: []string{"ns"}}}}}},
			format: FormatMermaid,
			want: `flowchart LR
  subgraph r_step_base["step base"]
    r_ns["ns<br/>Namespace"]
  end
  subgraph r_step_apps["step apps"]
    r_web["web<br/>?"]
  end
  r_ns --> r_web
`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Draw(tc.steps, tc.format)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
	if _, err := Draw(nil, "png"); err == nil {
		t.Errorf("an unknown format is an error, not a default")
	}
}
