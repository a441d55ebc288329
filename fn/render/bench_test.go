package render

import (
	"testing"

	"github.com/rowplane/rowplane/internal/template"
)

// BenchmarkManifest measures the database-per-node rds-instance manifest. Honest values that
// the template reads without YAML characters must cost no second render, even when the
// composite resource holds timestamps and managed fields full of colons; a read value with
// such characters costs one more render and two structure parses.
func BenchmarkManifest(b *testing.B) {
	r := rdsInstance(b)
	xr := map[string]any{"metadata": map[string]any{"name": "acme-corp-x7k2p", "creationTimestamp": "2026-01-01T00:00:00Z",
		"managedFields": []any{map[string]any{"fieldsV1": map[string]any{"f:spec": map[string]any{"f:planType": map[string]any{}}}}}}}
	honest := rdsVars("db.t3.small")
	honest["xr"] = xr
	colon := rdsVars("db.t3.small:burst")
	colon["xr"] = xr
	for name, vars := range map[string]map[string]any{"Honest": honest, "ReadValueWithColon": colon} {
		b.Run(name, func(b *testing.B) {
			rd := New(template.New(template.Options{}))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rd.Resource(r, vars); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
