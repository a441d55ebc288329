package render

import "strings"

// stringOnly reports whether the field at path must stay a string even when its template ends
// in a typed function: Kubernetes rejects numbers and booleans in these maps and identifiers.
func stringOnly(kind string, path []string) bool {
	if len(path) == 0 {
		return false
	}
	if len(path) == 1 && (path[0] == "apiVersion" || path[0] == "kind") {
		return true
	}
	for i, p := range path {
		switch p {
		case "matchLabels", "nodeSelector":
			return true
		case "labels", "annotations":
			if i > 0 && path[i-1] == "metadata" {
				return true
			}
		case "name", "namespace", "generateName":
			if i > 0 && path[i-1] == "metadata" {
				return true
			}
		}
	}
	switch kind {
	case "ConfigMap", "Secret":
		return path[0] == "data" || path[0] == "stringData" || path[0] == "binaryData"
	case "Service":
		return len(path) >= 2 && path[0] == "spec" && path[1] == "selector"
	}
	return false
}

// fieldPath prints a path the way kubectl explains fields: spec.containers[0].image.
func fieldPath(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if i > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
