// Package render turns one Form resource and a tenant's variables into an object: it renders
// the spec (every string value a template, typed where a whole value is one typed expression)
// or the manifest (one template parsed as YAML), then the name, namespace, labels and
// annotations templates, and checks the result is an object Kubernetes will accept.
package render
