package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStringOnly(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		kind   string
		path   []string
		want   bool
	}{
		"APIVersion":        {"apiVersion is a string", "Deployment", []string{"apiVersion"}, true},
		"Labels":            {"labels are strings", "Deployment", []string{"metadata", "labels", "tier"}, true},
		"PodLabels":         {"pod template labels are strings", "Deployment", []string{"spec", "template", "metadata", "labels", "v"}, true},
		"Annotations":       {"annotations are strings", "Deployment", []string{"metadata", "annotations", "a"}, true},
		"MatchLabels":       {"selectors are strings", "Deployment", []string{"spec", "selector", "matchLabels", "app"}, true},
		"NodeSelector":      {"node selectors are strings", "Deployment", []string{"spec", "template", "spec", "nodeSelector", "zone"}, true},
		"ServiceSelector":   {"a Service's selector is a string map", "Service", []string{"spec", "selector", "app"}, true},
		"ConfigMapData":     {"ConfigMap data is strings", "ConfigMap", []string{"data", "port"}, true},
		"SecretStringData":  {"Secret stringData is strings", "Secret", []string{"stringData", "n"}, true},
		"Replicas":          {"replicas may be typed", "Deployment", []string{"spec", "replicas"}, false},
		"OtherKindsData":    {"data of another kind may be typed", "Widget", []string{"data", "n"}, false},
		"LabelsNotMetadata": {"a field called labels outside metadata may be typed", "Widget", []string{"spec", "labels"}, false},
		"ContainerPort":     {"a port may be typed", "Deployment", []string{"spec", "template", "spec", "containers", "[0]", "ports", "[0]", "containerPort"}, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, stringOnly(tc.kind, tc.path)); diff != "" {
				t.Errorf("%s: stringOnly(%s, %v): -want, +got:\n%s", tc.reason, tc.kind, tc.path, diff)
			}
		})
	}
}

func TestFieldPath(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff("spec.containers[0].image", fieldPath([]string{"spec", "containers", "[0]", "image"})); diff != "" {
		t.Errorf("list indexes attach to their field: -want, +got:\n%s", diff)
	}
}
