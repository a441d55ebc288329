package values

import (
	"testing"

	"github.com/crossplane/crossplane-runtime/v2/pkg/fieldpath"
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

func TestLookupAgreesWithFieldpath(t *testing.T) {
	t.Parallel()
	obj := map[string]any{"spec": map[string]any{"values": map[string]any{"a": "b"}, "n": nil, "s": "x", "l": []any{"y"}}}
	cases := map[string]struct {
		reason string
		path   string
		wantOK bool
	}{
		"Field":        {reason: "a dotted path of fields is read directly", path: "spec.values", wantOK: true},
		"Missing":      {reason: "a missing field is not found, as fieldpath says", path: "spec.nope.deeper", wantOK: true},
		"Null":         {reason: "a null field reads as nil", path: "spec.n", wantOK: true},
		"ThroughValue": {reason: "reaching through a string is left to fieldpath, which says why", path: "spec.s.x"},
		"Index":        {reason: "an index is left to fieldpath", path: "spec.l[0]"},
		"Empty":        {reason: "an empty path is left to fieldpath", path: ""},
		"EmptySegment": {reason: "an empty segment is left to fieldpath", path: "spec..values"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := lookup(obj, tc.path)
			if ok != tc.wantOK {
				t.Fatalf("%s: lookup(%q) ok = %v, want %v", tc.reason, tc.path, ok, tc.wantOK)
			}
			if !ok {
				return
			}
			want, err := fieldpath.Pave(obj).GetValue(tc.path)
			if err != nil && !fieldpath.IsNotFound(err) {
				t.Fatalf("%s: fieldpath: %v", tc.reason, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: lookup(%q) must agree with fieldpath: -want, +got:\n%s", tc.reason, tc.path, diff)
			}
		})
	}
}
