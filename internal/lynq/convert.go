package lynq

import (
	"fmt"
	"maps"
	"sort"
	"strings"
	"unicode"

	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// Options shape what a conversion makes.
type Options struct {
	// Group and Version of the XRD (default example.rowplane.io, v1alpha1).
	Group, Version string
	// ClaimKind names the claim (default: the LynqHub's name in CamelCase, e.g. sample-hub →
	// SampleHub); the composite kind is X + ClaimKind.
	ClaimKind string
	// ColumnTypes are the MySQL column types of the hub's table by column name (e.g. "int",
	// "tinyint(1)", "varchar(20)"), which type the claim's fields; without them every field is a
	// string.
	ColumnTypes map[string]string
}

// A File is one output file: a name and its objects, in order.
type File struct {
	Name    string
	Objects []map[string]any
}

// usernameKey is the key the conversion adds to Lynq's password Secret: rowplane reads the
// username from the Secret too.
const usernameKey = "username"

// Convert turns one LynqHub of in, the Secret its passwordRef names and the LynqForms that name
// it into rowplane's objects, one file per concern.
func Convert(in Objects, hubName string, o Options) ([]File, error) {
	h, err := pick(in, hubName)
	if err != nil {
		return nil, err
	}
	o = o.withDefaults(h.Name)
	src := h.Spec.Source
	if src.Type != "" && src.Type != "mysql" {
		return nil, errors.Errorf("LynqHub %s: source.type %q: rowplane converts mysql sources", h.Name, src.Type)
	}
	sec, err := secret(in, h)
	if err != nil {
		return nil, err
	}
	var forms []Form
	for _, f := range in.Forms {
		if f.HubID == h.Name {
			forms = append(forms, f)
		}
	}
	if len(forms) == 0 {
		return nil, errors.Errorf("LynqHub %s: no LynqForm has hubId %q, so there is nothing to compose", h.Name, h.Name)
	}
	pc := &v1alpha1.ProviderConfig{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.SchemeGroupVersion.String(), Kind: v1alpha1.ProviderConfigKind},
		ObjectMeta: metav1.ObjectMeta{Namespace: h.Namespace, Name: h.Name},
		Spec: v1alpha1.ProviderConfigSpec{
			Host: src.MySQL.Host, Port: src.MySQL.Port, Database: src.MySQL.Database,
			Credentials: v1alpha1.Credentials{SecretRef: v1alpha1.SecretRef{Name: sec.Name}, UsernameKey: usernameKey, PasswordKey: src.MySQL.PasswordRef.Key},
		},
	}
	hub := &v1alpha1.Hub{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.SchemeGroupVersion.String(), Kind: v1alpha1.HubKind},
		ObjectMeta: metav1.ObjectMeta{Namespace: h.Namespace, Name: h.Name, Labels: maps.Clone(h.Labels)},
		Spec: v1alpha1.HubSpec{
			ProviderConfigReference: &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: pc.Name},
			Table:                   src.MySQL.Table,
			SyncInterval:            src.SyncInterval,
			ValueMappings: v1alpha1.ValueMappings{
				UID: h.Spec.ValueMappings.UID, Activate: h.Spec.ValueMappings.Activate, HostOrURL: h.Spec.ValueMappings.HostOrURL,
			},
			ExtraValueMappings: maps.Clone(h.Spec.ExtraValueMappings),
			Targets: []v1alpha1.Target{{APIVersion: o.Group + "/" + o.Version, Kind: o.ClaimKind,
				CompositionRef: &v1alpha1.CompositionReference{Name: h.Name}}},
		},
	}
	files := []File{}
	for _, obj := range []struct {
		file string
		v    any
	}{{"providerconfig.yaml", sec}, {"providerconfig.yaml", pc}, {"hub.yaml", hub}} {
		m, err := toMap(obj.v)
		if err != nil {
			return nil, err
		}
		files = appendTo(files, obj.file, clean(m))
	}
	files = appendTo(files, "xrd.yaml", xrd(h, o))
	files = appendTo(files, "composition.yaml", composition(h, forms, o))
	return files, nil
}

func (o Options) withDefaults(hub string) Options {
	if o.Group == "" {
		o.Group = "example.rowplane.io"
	}
	if o.Version == "" {
		o.Version = "v1alpha1"
	}
	if o.ClaimKind == "" {
		o.ClaimKind = camel(singular(hub))
	}
	return o
}

func pick(in Objects, name string) (Hub, error) {
	var names []string
	for _, h := range in.Hubs {
		if h.Name == name || (name == "" && len(in.Hubs) == 1) {
			return h, nil
		}
		names = append(names, h.Name)
	}
	if name == "" {
		return Hub{}, errors.Errorf("the input holds %d LynqHubs (%s): name the one to convert", len(in.Hubs), strings.Join(names, ", "))
	}
	return Hub{}, errors.Errorf("no LynqHub %q in the input (it holds %s)", name, strings.Join(names, ", "))
}

// secret returns a copy of the Secret the hub's passwordRef names, with the username added.
func secret(in Objects, h Hub) (*corev1.Secret, error) {
	ref := h.Spec.Source.MySQL.PasswordRef
	if ref.Key == usernameKey {
		return nil, errors.Errorf("LynqHub %s: passwordRef.key is %q, the key the conversion adds the username under: rename the key", h.Name, usernameKey)
	}
	for i := range in.Secrets {
		s := in.Secrets[i]
		if s.Name == ref.Name && (s.Namespace == h.Namespace || s.Namespace == "") {
			c := s.DeepCopy()
			c.APIVersion, c.Kind = "v1", "Secret"
			c.Namespace = h.Namespace
			if c.StringData == nil {
				c.StringData = map[string]string{}
			}
			c.StringData[usernameKey] = h.Spec.Source.MySQL.Username
			return c, nil
		}
	}
	// Without the Secret in the input, write one to fill in: the password is the user's.
	return &corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{Namespace: h.Namespace, Name: ref.Name},
		StringData: map[string]string{usernameKey: h.Spec.Source.MySQL.Username, ref.Key: "REPLACE-ME"},
	}, nil
}

// xrd is a LegacyCluster XRD with a claim: like Lynq's nodes, the pipeline may create a
// tenant's Namespace and objects in it, which a namespaced XR cannot.
func xrd(h Hub, o Options) map[string]any {
	props := map[string]any{}
	for field, column := range h.Spec.ExtraValueMappings {
		props[field] = map[string]any{"type": schemaType(o.ColumnTypes[strings.ToLower(column)]),
			"description": fmt.Sprintf("Column %s of table %s.", column, h.Spec.Source.MySQL.Table)}
	}
	if c := h.Spec.ValueMappings.HostOrURL; c != "" {
		props["hostOrUrl"] = map[string]any{"type": "string", "description": fmt.Sprintf("Column %s (Lynq's hostOrUrl); .host is its host.", c)}
	}
	plural := pluralOf(strings.ToLower(o.ClaimKind))
	return map[string]any{
		"apiVersion": "apiextensions.crossplane.io/v1",
		"kind":       "CompositeResourceDefinition",
		"metadata":   map[string]any{"name": "x" + plural + "." + o.Group},
		"spec": map[string]any{
			"group":                 o.Group,
			"scope":                 "LegacyCluster",
			"names":                 map[string]any{"kind": "X" + o.ClaimKind, "plural": "x" + plural},
			"claimNames":            map[string]any{"kind": o.ClaimKind, "plural": plural},
			"defaultCompositionRef": map[string]any{"name": h.Name},
			"versions": []any{map[string]any{
				"name": o.Version, "served": true, "referenceable": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{
					"type": "object",
					"properties": map[string]any{
						"spec": map[string]any{"type": "object", "description": fmt.Sprintf("One row of table %s, as LynqHub %s mapped it.", h.Spec.Source.MySQL.Table, h.Name), "properties": props},
						"status": map[string]any{"type": "object", "properties": map[string]any{
							"rowplane": map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true},
						}},
					},
				}},
			}},
		},
	}
}

// composition has one Form step per LynqForm, in name order, each form's spec unedited.
func composition(h Hub, forms []Form, o Options) map[string]any {
	sort.Slice(forms, func(i, j int) bool { return forms[i].Name < forms[j].Name })
	steps := make([]any, 0, len(forms))
	for _, f := range forms {
		steps = append(steps, map[string]any{
			"step":        f.Name,
			"functionRef": map[string]any{"name": "function-rowplane"},
			"input": map[string]any{
				"apiVersion": "fn.rowplane.io/v1beta1", "kind": "Form",
				"metadata": map[string]any{"name": f.Name},
				"spec":     f.Spec,
			},
		})
	}
	return map[string]any{
		"apiVersion": "apiextensions.crossplane.io/v1",
		"kind":       "Composition",
		"metadata":   map[string]any{"name": h.Name},
		"spec": map[string]any{
			"compositeTypeRef": map[string]any{"apiVersion": o.Group + "/" + o.Version, "kind": "X" + o.ClaimKind},
			"mode":             "Pipeline",
			"pipeline":         steps,
		},
	}
}

// schemaType maps a MySQL column type to the claim field's OpenAPI type; unknown is string.
func schemaType(columnType string) string {
	t := strings.TrimSpace(columnType)
	base := t
	if i := strings.IndexAny(t, "( "); i >= 0 {
		base = t[:i]
	}
	switch base {
	case "tinyint":
		if strings.HasPrefix(t, "tinyint(1)") {
			return "boolean"
		}
		return "integer"
	case "bool", "boolean":
		return "boolean"
	case "smallint", "mediumint", "int", "integer", "bigint", "year":
		return "integer"
	case "decimal", "numeric", "dec", "fixed", "float", "double", "real":
		return "number"
	case "json":
		return "object"
	default:
		return "string"
	}
}

// singular drops a plural s from a hub's name (storefronts → storefront), as kinds are singular.
func singular(name string) string {
	if strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss") && len(name) > 1 {
		return name[:len(name)-1]
	}
	return name
}

// pluralOf is the resource plural of a lower-case kind.
func pluralOf(kind string) string {
	for _, s := range []string{"s", "x", "z", "ch", "sh"} {
		if strings.HasSuffix(kind, s) {
			return kind + "es"
		}
	}
	return kind + "s"
}

// camel turns a DNS name into a Kind: sample-hub → SampleHub.
func camel(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// clean drops what a typed object marshals but a manifest does not carry.
func clean(m map[string]any) map[string]any {
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "creationTimestamp")
	}
	delete(m, "status")
	return m
}

func appendTo(files []File, name string, obj map[string]any) []File {
	for i := range files {
		if files[i].Name == name {
			files[i].Objects = append(files[i].Objects, obj)
			return files
		}
	}
	return append(files, File{Name: name, Objects: []map[string]any{obj}})
}
