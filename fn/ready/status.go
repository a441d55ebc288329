package ready

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// cond is the part of a status condition readiness looks at.
type cond struct {
	typ, status, reason, message string
}

// describe renders a condition as "Ready=False (Creating: waiting for the instance)".
func (c cond) describe() string {
	s := c.typ + "=" + c.status
	if c.status == "" {
		s = c.typ + "=Unknown"
	}
	switch {
	case c.reason != "" && c.message != "":
		return fmt.Sprintf("%s (%s: %s)", s, c.reason, c.message)
	case c.reason != "":
		return fmt.Sprintf("%s (%s)", s, c.reason)
	case c.message != "":
		return fmt.Sprintf("%s (%s)", s, c.message)
	}
	return s
}

// condition returns status.conditions[type==typ] of o.
func condition(o *unstructured.Unstructured, typ string) (cond, bool) {
	list, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		if t, _ := m["type"].(string); t != typ {
			continue
		}
		c := cond{typ: typ}
		c.status, _ = m["status"].(string)
		c.reason, _ = m["reason"].(string)
		c.message, _ = m["message"].(string)
		return c, true
	}
	return cond{}, false
}

// integer reads a number at path whether it was decoded as int64, int32, int or float64.
func integer(o *unstructured.Unstructured, path ...string) (int64, bool) {
	v, ok, _ := unstructured.NestedFieldNoCopy(o.Object, path...)
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	}
	return 0, false
}

// integerOr reads a number at path, or def when it is absent. Kubernetes omits zero counts
// from status, so an absent count is usually 0.
func integerOr(o *unstructured.Unstructured, def int64, path ...string) int64 {
	if n, ok := integer(o, path...); ok {
		return n
	}
	return def
}

// generationSeen reports whether the controller has observed the object's current spec.
func generationSeen(o *unstructured.Unstructured) (Status, bool) {
	gen, hasGen := integer(o, "metadata", "generation")
	seen, hasSeen := integer(o, "status", "observedGeneration")
	if !hasSeen {
		return Status{Reason: "controller has not observed the object yet"}, false
	}
	if hasGen && seen < gen {
		return Status{Reason: fmt.Sprintf("controller has observed generation %d of %d", seen, gen)}, false
	}
	return Status{}, true
}
