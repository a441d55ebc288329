package hubsync

import (
	"strings"
	"testing"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

func TestValidateAndDeletes(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason      string
		policy      v1alpha1.DeletionPolicy
		wantErr     string
		wantDeletes bool
	}{
		"Unset":  {reason: "an unset policy (a Hub stored past the schema) orphans"},
		"Orphan": {reason: "Orphan orphans", policy: v1alpha1.DeletionOrphan},
		"Delete": {reason: "only an explicit Delete deletes", policy: v1alpha1.DeletionDelete, wantDeletes: true},
		"Other":  {reason: "anything else is a configuration error naming the field, and never deletes", policy: "delete", wantErr: "spec.deletion.policy"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			hub := &v1alpha1.Hub{Spec: v1alpha1.HubSpec{Deletion: v1alpha1.Deletion{Policy: tc.policy}}}
			err := validate(hub)
			if (err != nil) != (tc.wantErr != "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("%s\nvalidate: want error containing %q, got %v", tc.reason, tc.wantErr, err)
			}
			if got := deletes(hub); got != tc.wantDeletes {
				t.Errorf("%s\ndeletes: want %t, got %t", tc.reason, tc.wantDeletes, got)
			}
		})
	}
}
