package policy

import "testing"

func TestHasManagementPolicies(t *testing.T) {
	t.Parallel()
	if HasManagementPolicies(nil) || HasManagementPolicies(obj(t, `{spec: {forProvider: {}}}`)) {
		t.Errorf("HasManagementPolicies: want false without spec.managementPolicies")
	}
	if !HasManagementPolicies(obj(t, `{spec: {managementPolicies: ["*"]}}`)) {
		t.Errorf("HasManagementPolicies: want true with spec.managementPolicies")
	}
}
