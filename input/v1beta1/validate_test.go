package v1beta1

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResourceValidate(t *testing.T) {
	t.Parallel()
	minus5, zero, one := int32(-5), int32(0), int32(1)
	cases := map[string]struct {
		reason string
		r      Resource
		want   []string
	}{
		"Defaults": {"unset fields take their defaults", Resource{ID: "a"}, nil},
		"AllSet": {"every allowed value passes",
			Resource{ID: "a", CreationPolicy: CreationOnce, DeletionPolicy: DeletionRetain, ConflictPolicy: ConflictForce, PatchStrategy: PatchApply, TimeoutSeconds: &one}, nil},
		"PatchMerge": {"merge is LynqForm's, but Crossplane always server-side applies: refused, not ignored",
			Resource{ID: "db", PatchStrategy: PatchMerge},
			[]string{`resource "db" field patchStrategy: "merge" is not supported: Crossplane writes every composed resource with server-side apply; remove patchStrategy or set it to apply`}},
		"PatchReplace": {"replace likewise",
			Resource{ID: "db", PatchStrategy: PatchReplace},
			[]string{`resource "db" field patchStrategy: "replace" is not supported: Crossplane writes every composed resource with server-side apply; remove patchStrategy or set it to apply`}},
		"DeletionTypo": {"a misspelt deletionPolicy no longer means Delete",
			Resource{ID: "db", DeletionPolicy: "Retian"},
			[]string{`resource "db" field deletionPolicy: "Retian" is not allowed; use one of Delete, Retain`}},
		"DeletionCase": {"the values are case-sensitive, and the message suggests the right case",
			Resource{ID: "db", DeletionPolicy: "RETAIN"},
			[]string{`resource "db" field deletionPolicy: "RETAIN" is not allowed; use one of Delete, Retain (did you mean Retain?)`}},
		"CreationPolicy": {"creationPolicy accepts WhenNeeded and Once",
			Resource{ID: "db", CreationPolicy: "once"},
			[]string{`resource "db" field creationPolicy: "once" is not allowed; use one of WhenNeeded, Once (did you mean Once?)`}},
		"ConflictPolicy": {"conflictPolicy accepts Stuck and Force",
			Resource{ID: "db", ConflictPolicy: "Overwrite"},
			[]string{`resource "db" field conflictPolicy: "Overwrite" is not allowed; use one of Stuck, Force`}},
		"PatchStrategy": {"patchStrategy accepts apply, merge and replace",
			Resource{ID: "db", PatchStrategy: "Apply"},
			[]string{`resource "db" field patchStrategy: "Apply" is not allowed; use one of apply, merge, replace (did you mean apply?)`}},
		"NegativeTimeout": {"a negative timeout no longer becomes 300",
			Resource{ID: "db", TimeoutSeconds: &minus5},
			[]string{`resource "db" field timeoutSeconds: -5 is not allowed; use a number of seconds of 1 or more (default 300)`}},
		"ZeroTimeout": {"zero is not positive",
			Resource{ID: "db", TimeoutSeconds: &zero},
			[]string{`resource "db" field timeoutSeconds: 0 is not allowed; use a number of seconds of 1 or more (default 300)`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, err := range tc.r.Validate() {
				got = append(got, err.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
