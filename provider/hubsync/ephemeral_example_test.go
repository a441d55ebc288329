package hubsync_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

const ephemeralDir = "../../examples/ephemeral"

var webAppGVK = schema.GroupVersionKind{Group: "example.rowplane.io", Version: "v1alpha1", Kind: "WebApp"}

// TestEphemeralExample runs the ephemeral example's table and Hub on the real clock: the
// expired and the inactive previews get no WebApp, the others do, and the Hub wakes up for the
// next expiry before its 5m tick.
func TestEphemeralExample(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, err := os.ReadFile(filepath.Join(ephemeralDir, "table.sql"))
	if err != nil {
		t.Fatal(err)
	}
	h.db.Exec(t, sqlStatements(string(b))...)
	example := &v1alpha1.Hub{}
	readYAML(t, filepath.Join(ephemeralDir, "hub.yaml"), example)
	h.createHub(func(hub *v1alpha1.Hub) {
		hub.Spec = example.Spec
		hub.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "default"}
	})
	after := h.syncAfter()

	want := map[string]any{
		"pr-feat-login": map[string]any{"image": "registry.example.com/web:pr-101", "uid": "feat-login"},
		"pr-staging":    map[string]any{"image": "registry.example.com/web:2.0.0", "uid": "staging"},
	}
	if diff := cmp.Diff(want, h.webApps()); diff != "" {
		t.Errorf("one WebApp per active preview that has not expired: -want +got:\n%s", diff)
	}
	st := h.getHub().Status
	if diff := cmp.Diff([]int64{4, 2, 1, 0}, []int64{st.Rows, st.ActiveRows, st.ExpiredRows, st.InvalidRows}); diff != "" {
		t.Errorf("rows, activeRows, expiredRows, invalidRows: -want +got:\n%s", diff)
	}
	// feat-login expires in 3 days, after the 5m tick: the tick wins.
	if after != 5*time.Minute {
		t.Errorf("requeue: want the 5m interval, got %s", after)
	}

	h.db.Exec(t, `UPDATE preview_envs SET expires_at = UTC_TIMESTAMP() + INTERVAL 60 SECOND WHERE branch = 'feat-login'`)
	if after := h.syncAfter(); after <= 50*time.Second || after > 60*time.Second {
		t.Errorf("feat-login now expires within a minute: want a requeue of about 60s, got %s", after)
	}
	h.db.Exec(t, `UPDATE preview_envs SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE branch = 'feat-login'`)
	h.sync()
	delete(want, "pr-feat-login")
	if diff := cmp.Diff(want, h.webApps()); diff != "" {
		t.Errorf("retiring a preview by its expires_at deletes its WebApp: -want +got:\n%s", diff)
	}
}

// sqlStatements splits a SQL file into its statements: every statement ends a line with ';'.
func sqlStatements(file string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(file, "\n") {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line + "\n")
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	return out
}

// webApps returns the image and uid annotation of every WebApp in the namespace by name.
func (h *harness) webApps() map[string]any {
	h.t.Helper()
	l := &unstructured.UnstructuredList{}
	l.SetGroupVersionKind(webAppGVK.GroupVersion().WithKind("WebAppList"))
	if err := h.c.List(h.ctx, l, client.InNamespace(h.ns)); err != nil {
		h.t.Fatal(err)
	}
	out := map[string]any{}
	for _, o := range l.Items {
		image, _, _ := unstructured.NestedString(o.Object, "spec", "image")
		out[o.GetName()] = map[string]any{"image": image, "uid": o.GetAnnotations()[v1alpha1.AnnotationUID]}
	}
	return out
}
