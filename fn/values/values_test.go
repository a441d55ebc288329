package values

import (
	"testing"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composite"
	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func xr(obj map[string]any) *composite.Unstructured {
	return &composite.Unstructured{Unstructured: unstructured.Unstructured{Object: obj}}
}

func TestBuild(t *testing.T) {
	t.Parallel()
	meta := func(name string, labels, annotations map[string]any) map[string]any {
		return map[string]any{"name": name, "labels": labels, "annotations": annotations}
	}
	cases := map[string]struct {
		reason     string
		xr         map[string]any
		valuesFrom string
		formHub    string
		want       map[string]any
		wantErr    string
	}{
		"UIDFromAnnotation": {
			reason: "the Hub's uid annotation wins over the claim and XR names",
			xr:     map[string]any{"metadata": meta("acme-x1", map[string]any{"crossplane.io/claim-name": "claim", "rowplane.io/hub": "hub-a"}, map[string]any{"rowplane.io/uid": "acme"}), "spec": map[string]any{"plan": "pro", "compositionRef": map[string]any{"name": "comp"}}},
			want:   map[string]any{"uid": "acme", "activate": true, "hubId": "hub-a", "templateRef": "comp", "plan": "pro", "compositionRef": map[string]any{"name": "comp"}},
		},
		"UIDFromClaim": {
			reason:  "without the annotation the claim name is the uid, and the Form's hubId fills in",
			xr:      map[string]any{"metadata": meta("acme-x1", map[string]any{"crossplane.io/claim-name": "claim"}, nil), "spec": map[string]any{}},
			formHub: "form-hub",
			want:    map[string]any{"uid": "claim", "activate": true, "hubId": "form-hub"},
		},
		"UIDInValues": {
			reason: "a uid field in the values wins; hostOrUrl gives .host",
			xr:     map[string]any{"metadata": meta("x", nil, map[string]any{"rowplane.io/uid": "ann"}), "spec": map[string]any{"uid": "own", "hostOrUrl": "https://a.example.com:8443/p"}},
			want:   map[string]any{"uid": "own", "activate": true, "hubId": "", "hostOrUrl": "https://a.example.com:8443/p", "host": "a.example.com"},
		},
		"ValuesFromElsewhere": {
			reason:     "valuesFrom picks another object of the XR",
			xr:         map[string]any{"metadata": meta("x", nil, nil), "spec": map[string]any{"parameters": map[string]any{"size": int64(3)}}},
			valuesFrom: "spec.parameters",
			want:       map[string]any{"uid": "x", "activate": true, "hubId": "", "size": int64(3)},
		},
		"ValuesMissing": {
			reason:     "an absent values path gives no values, not an error",
			xr:         map[string]any{"metadata": meta("x", nil, nil)},
			valuesFrom: "spec.nope",
			want:       map[string]any{"uid": "x", "activate": true, "hubId": ""},
		},
		"ValuesNotObject": {
			reason:     "values that are not an object are an error naming the path",
			xr:         map[string]any{"metadata": meta("x", nil, nil), "spec": map[string]any{"s": "str"}},
			valuesFrom: "spec.s",
			wantErr:    `valuesFrom "spec.s" of the composite resource is a string, not an object`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			vf := tc.valuesFrom
			if vf == "" {
				vf = "spec"
			}
			got, err := Build(xr(tc.xr), vf, tc.formHub, map[resource.Name]map[string]any{"a": {"kind": "X"}})
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("%s: want error %q, got %v", tc.reason, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			if diff := cmp.Diff(map[string]any{"a": map[string]any{"kind": "X"}}, got["observed"]); diff != "" {
				t.Errorf("%s: .observed holds the observed objects by id: -want, +got:\n%s", tc.reason, diff)
			}
			delete(got, "observed")
			delete(got, "xr")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
