package hubsync

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/source"
)

func TestIsActive(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		in     any
		want   bool
	}{
		"One":        {reason: "1 is active", in: int64(1), want: true},
		"Bool":       {reason: "TINYINT(1) true is active", in: true, want: true},
		"TrueMixed":  {reason: "true in any case is active", in: "tRuE", want: true},
		"Yes":        {reason: "yes is active", in: "YES", want: true},
		"OneText":    {reason: "'1' is active", in: "1", want: true},
		"Padded":     {reason: "blanks around a truthy value are ignored", in: " yes ", want: true},
		"Two":        {reason: "2 is not in the truthy set", in: int64(2), want: false},
		"On":         {reason: "on is not in the truthy set", in: "on", want: false},
		"Y":          {reason: "y is not in the truthy set", in: "y", want: false},
		"Null":       {reason: "NULL is inactive", in: nil, want: false},
		"False":      {reason: "false is inactive", in: false, want: false},
		"DecimalOne": {reason: "a DECIMAL 1 is active", in: json.Number("1"), want: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := isActive(tc.in); got != tc.want {
				t.Errorf("%s\nisActive(%#v) = %t, want %t", tc.reason, tc.in, got, tc.want)
			}
		})
	}
}

// TestLynqSampleVars maps the LynqHub sample (hostOrUrl, extra mappings) one to one.
func TestLynqSampleVars(t *testing.T) {
	t.Parallel()
	hub := &v1alpha1.Hub{
		ObjectMeta: metav1.ObjectMeta{Name: "sample-hub", Namespace: "default"},
		Spec: v1alpha1.HubSpec{
			ValueMappings:      v1alpha1.ValueMappings{UID: "id", Activate: "isActive", HostOrURL: "url"},
			ExtraValueMappings: map[string]string{"deployImage": "image", "planId": "plan_id", "replicas": "replica_count"},
		},
	}
	row := source.Row{"id": "acme", "isActive": true, "url": "https://acme.example.com:8443/app", "image": "nginx:1.27", "plan_id": nil, "replica_count": int64(3)}
	want := map[string]any{
		"uid": "acme", "activate": true, "hubId": "sample-hub",
		"hostOrUrl": "https://acme.example.com:8443/app", "host": "acme.example.com",
		"deployImage": "nginx:1.27", "replicas": int64(3),
	}
	if diff := cmp.Diff(want, rowVars(hub, row, "acme")); diff != "" {
		t.Errorf("rowVars: NULL planId is absent, host is derived: -want +got:\n%s", diff)
	}
	if diff := cmp.Diff([]string{"id", "isActive", "url", "image", "plan_id", "replica_count"}, columns(hub), sortStrings()); diff != "" {
		t.Errorf("columns: -want +got:\n%s", diff)
	}
}
