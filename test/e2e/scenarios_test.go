//go:build e2e

package e2e

import "testing"

// A scenario is one step of the story; each builds on the state the previous ones left.
type scenario struct {
	name string
	run  func(t *testing.T, s *suite)
}

func scenarios() []scenario {
	return []scenario{
		{"InsertRowBecomesReadyTenant", insert},
		{"UpdatePlanTypeUpdatesDeployment", updatePlan},
		{"UpdateInstanceClassLeavesOnceRDS", updateOnce},
		{"FormCycleIsAConditionAndDeletesNothing", formCycle},
		{"ThreeTenantsAtOnceAndAnInvalidRow", threeTenants},
		{"DeactivateRemovesTenantAndRetainsRDS", deactivate},
		{"DatabaseDownDeletesNothing", databaseDown},
		{"DeleteHubWithOrphanKeepsClaims", deleteHubOrphan},
		{"RetainedPlainObjectOutlivesItsWebApp", retainPlainObject},
		{"PostgresRowBecomesReadyClaimThroughNotify", postgresTenant},
		{"MariaDBAtTheDefaultIntervalThroughTheProbe", mariadbDefaults},
	}
}
