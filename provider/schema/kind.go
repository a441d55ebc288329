package schema

import (
	"context"
	"fmt"
	"strings"

	"github.com/pkg/errors"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// A Kind is what the Hub needs to know about a target kind.
type Kind struct {
	GVK        schema.GroupVersionKind
	Namespaced bool
	// Root is the openAPIV3Schema of the served version.
	Root *extv1.JSONSchemaProps
	// Role is what the kind is to Crossplane: the claim or composite kind of an XRD, or
	// neither (RoleNone), e.g. a provider's own kind.
	Role Role
	// XRD names the CompositeResourceDefinition defining the kind, when Role is not RoleNone.
	XRD string
}

// Field returns the schema at a dot-separated path such as spec.parameters, or nil when an
// object on the way preserves unknown fields. ok is false when the path does not exist.
func (k *Kind) Field(path string) (s *extv1.JSONSchemaProps, ok bool) {
	s = k.Root
	for _, p := range strings.Split(path, ".") {
		if s == nil {
			return nil, true
		}
		next, found := s.Properties[p]
		switch {
		case found:
			s = &next
		case s.XPreserveUnknownFields != nil && *s.XPreserveUnknownFields:
			return nil, true
		case s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil:
			s = s.AdditionalProperties.Schema
		default:
			return nil, false
		}
	}
	return s, true
}

// A Reader reads target kinds from the API server.
type Reader struct {
	Mapper meta.RESTMapper
	Client client.Reader
}

// Kind returns the scope and schema of gvk, read from its CustomResourceDefinition.
func (r Reader) Kind(ctx context.Context, gvk schema.GroupVersionKind) (*Kind, error) {
	m, err := r.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return nil, errors.Wrapf(err, "kind %s is not served", gvk)
	}
	crd := &extv1.CustomResourceDefinition{}
	name := m.Resource.Resource + "." + gvk.Group
	if err := r.Client.Get(ctx, client.ObjectKey{Name: name}, crd); err != nil {
		return nil, errors.Wrapf(err, "read CustomResourceDefinition %s", name)
	}
	for _, v := range crd.Spec.Versions {
		if v.Name != gvk.Version {
			continue
		}
		if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			return nil, fmt.Errorf("CustomResourceDefinition %s version %s has no schema", name, v.Name)
		}
		k := &Kind{GVK: gvk, Namespaced: crd.Spec.Scope == extv1.NamespaceScoped, Root: v.Schema.OpenAPIV3Schema}
		if err := r.role(ctx, crd, k); err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("CustomResourceDefinition %s does not serve version %s", name, gvk.Version)
}
