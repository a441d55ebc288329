package render

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rowplane/rowplane/internal/template"
)

// FuzzManifestValue renders the database-per-node rds-instance manifest with any
// dbInstanceClass and checks the one-scalar rule on the result: either the render is
// refused, or the object has exactly the keys, list lengths, kind and apiVersion of an
// honest render.
func FuzzManifestValue(f *testing.F) {
	for _, s := range []string{"db.t3.small", "db.t3.small\"\n    region: \"eu-attacker-1", crbObject, "a: b", "[a]", "-", "- a",
		"a\u2028  region: x", "a\\\"\n    x: y", "{{ .uid }}", "a #b", "\"", "'", "&a", "*a", "!!binary x", "a\r    x: y"} {
		f.Add(s)
	}
	r := rdsInstance(f)
	rd := New(template.New(template.Options{}))
	honest, err := rd.Resource(r, rdsVars("db.t3.small"))
	if err != nil {
		f.Fatal(err)
	}
	want := structure(honest.Object)
	f.Fuzz(func(t *testing.T, v string) {
		obj, err := rd.Resource(r, rdsVars(v))
		if err != nil {
			var re *Error
			if !errors.As(err, &re) || re.ID != r.ID {
				t.Fatalf("an error must name the resource: %v", err)
			}
			return
		}
		if got := structure(obj.Object); got != want {
			t.Fatalf("dbInstanceClass %q changed the structure:\nwant %s\ngot  %s", v, want, got)
		}
		if obj.GetKind() != honest.GetKind() || obj.GetAPIVersion() != honest.GetAPIVersion() || obj.GetNamespace() != honest.GetNamespace() {
			t.Fatalf("dbInstanceClass %q changed the object's identity: %s %s %s", v, obj.GetAPIVersion(), obj.GetKind(), obj.GetNamespace())
		}
	})
}

// structure prints the keys and list lengths of v, not its scalar values.
func structure(v any) string {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteByte('{')
		for _, k := range keys {
			b.WriteString(strconv.Quote(k) + ":" + structure(t[k]) + ",")
		}
		b.WriteByte('}')
		return b.String()
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = structure(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return "_"
}

// FuzzPositions puts any value in every place a template can write it unescaped: plain,
// single- and double-quoted, in a flow list, a flow map and a block list.
func FuzzPositions(f *testing.F) {
	for _, s := range []string{"x", "a, b", "a]\nkind: Secret", "a'\n  w: 'b", "a}, k: {", "- a", "a: b", "#", "a\u0085b: c", "\t"} {
		f.Add(s)
	}
	r := manifestOf("data:\n  plain: {{ .v }}\n  single: '{{ .v }}'\n  double: \"{{ .v }}\"\n" +
		"  flow: [{{ .v }}, x]\n  map: {k: {{ .v }}}\n  list:\n  - {{ .v }}\n  - y\n")
	rd := New(template.New(template.Options{}))
	honest, err := rd.Resource(r, map[string]any{"v": "x"})
	if err != nil {
		f.Fatal(err)
	}
	want := structure(honest.Object)
	f.Fuzz(func(t *testing.T, v string) {
		obj, err := rd.Resource(r, map[string]any{"v": v})
		if err != nil {
			return
		}
		if got := structure(obj.Object); got != want {
			t.Fatalf("%q changed the structure:\nwant %s\ngot  %s", v, want, got)
		}
		if obj.GetKind() != "ConfigMap" || obj.GetAPIVersion() != "v1" || obj.GetNamespace() != "" {
			t.Fatalf("%q changed the object's identity", v)
		}
	})
}
