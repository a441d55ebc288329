package hubsync

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pkg/errors"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	rpschema "github.com/rowplane/rowplane/provider/schema"
)

// A target is a Hub target resolved against its kind's CRD.
type target struct {
	index      int
	spec       v1alpha1.Target
	gvk        schema.GroupVersionKind
	namespaced bool
	// valuesPath is where extraValueMappings values go, e.g. [spec].
	valuesPath []string
	// fields holds the schema of every extraValueMappings variable; nil means anything goes.
	fields map[string]*extv1.JSONSchemaProps
	// columns maps each value written under valuesPath to its column: every extraValueMappings
	// entry, plus Lynq's deprecated valueMappings.hostOrUrl as hostOrUrl when the kind has
	// such a field (so a LynqForm's .host works after a one-to-one translation).
	columns map[string]string
	// compositionPath is where compositionRef and compositionSelector go: [spec] on claims,
	// [spec crossplane] on v2 composite resources.
	compositionPath []string
}

// String names the target in messages.
func (t *target) String() string { return fmt.Sprintf("targets[%d] (%s)", t.index, t.gvk.Kind) }

// A KindReader reads the schema of a kind; schema.Reader is one.
type KindReader interface {
	Kind(ctx context.Context, gvk schema.GroupVersionKind) (*rpschema.Kind, error)
}

// errNotXR is returned for a target kind no XRD defines: the Hub must never write it.
var errNotXR = errors.New("is not the claim or composite kind of any CompositeResourceDefinition; a Hub writes only claims and composite resources")

// resolveTargets checks every target against its CRD. An error here is a configuration error:
// the sync stops before changing anything.
func resolveTargets(ctx context.Context, kr KindReader, hub *v1alpha1.Hub) ([]*target, error) {
	out := make([]*target, 0, len(hub.Spec.Targets))
	seen := map[schema.GroupVersionKind]bool{}
	for i, ts := range hub.Spec.Targets {
		gv, err := schema.ParseGroupVersion(ts.APIVersion)
		if err != nil {
			return nil, errors.Wrapf(err, "spec.targets[%d]: apiVersion %q", i, ts.APIVersion)
		}
		gvk := gv.WithKind(ts.Kind)
		if seen[gvk] {
			return nil, fmt.Errorf("spec.targets[%d]: %s is listed twice", i, gvk)
		}
		seen[gvk] = true
		t, err := resolveTarget(ctx, kr, hub, i)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// resolveTarget checks target i against its CRD and the XRD behind it. Only the claim or
// composite kind of an XRD passes: any other kind with a CRD (a provider's ClusterProviderConfig,
// say) would let whoever edits the table write cluster objects the Hub's author may not.
func resolveTarget(ctx context.Context, kr KindReader, hub *v1alpha1.Hub, i int) (*target, error) {
	ts := hub.Spec.Targets[i]
	gv, err := schema.ParseGroupVersion(ts.APIVersion)
	if err != nil {
		return nil, errors.Wrapf(err, "spec.targets[%d]: apiVersion %q", i, ts.APIVersion)
	}
	gvk := gv.WithKind(ts.Kind)
	k, err := kr.Kind(ctx, gvk)
	if err != nil {
		return nil, errors.Wrapf(err, "spec.targets[%d]", i)
	}
	if k.Role == rpschema.RoleNone {
		return nil, fmt.Errorf("spec.targets[%d]: %s %s: %w", i, ts.APIVersion, ts.Kind, errNotXR)
	}
	return newTarget(i, ts, k, hub.Spec.ExtraValueMappings, hub.Spec.ValueMappings.HostOrURL)
}

func newTarget(i int, ts v1alpha1.Target, k *rpschema.Kind, extra map[string]string, hostOrURL string) (*target, error) {
	if ts.NameTemplate == "" {
		ts.NameTemplate = "{{ .uid }}"
	}
	if ts.ValuesPath == "" {
		ts.ValuesPath = "spec"
	}
	t := &target{index: i, spec: ts, gvk: k.GVK, namespaced: k.Namespaced, fields: map[string]*extv1.JSONSchemaProps{}, columns: map[string]string{}}
	t.valuesPath = strings.Split(ts.ValuesPath, ".")
	for _, p := range t.valuesPath {
		if p == "" {
			return nil, fmt.Errorf("%s: valuesPath %q has an empty segment", t, ts.ValuesPath)
		}
	}
	if t.valuesPath[0] == "metadata" || t.valuesPath[0] == "status" || t.valuesPath[0] == "apiVersion" || t.valuesPath[0] == "kind" {
		return nil, fmt.Errorf("%s: valuesPath %q must not be under %s", t, ts.ValuesPath, t.valuesPath[0])
	}
	if _, ok := k.Field(ts.ValuesPath); !ok {
		return nil, fmt.Errorf("%s: valuesPath %q is not a field of %s", t, ts.ValuesPath, k.GVK.Kind)
	}
	vars := make([]string, 0, len(extra))
	for v := range extra {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		s, ok := k.Field(ts.ValuesPath + "." + v)
		if !ok {
			return nil, fmt.Errorf("%s: extraValueMappings %q has no field %s.%s in the schema of %s (the API server would drop it)",
				t, v, ts.ValuesPath, v, k.GVK.Kind)
		}
		t.fields[v] = s
		t.columns[v] = extra[v]
	}
	if _, mapped := extra[varHostOrURL]; hostOrURL != "" && !mapped {
		if s, ok := k.Field(ts.ValuesPath + "." + varHostOrURL); ok {
			t.fields[varHostOrURL] = s
			t.columns[varHostOrURL] = hostOrURL
		}
	}
	if ts.CompositionRef != nil || ts.CompositionSelector != nil {
		switch {
		case hasField(k, "spec.crossplane.compositionRef"):
			t.compositionPath = []string{"spec", "crossplane"}
		case hasField(k, "spec.compositionRef"):
			t.compositionPath = []string{"spec"}
		default:
			return nil, fmt.Errorf("%s: %s has no compositionRef field", t, k.GVK.Kind)
		}
	}
	return t, nil
}

func hasField(k *rpschema.Kind, path string) bool {
	s, ok := k.Field(path)
	return ok && s != nil
}
