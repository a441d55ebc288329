package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/internal/devstack/stack"
	"github.com/rowplane/rowplane/internal/devstack/standin"
)

func obj(o map[string]any) *unstructured.Unstructured { return &unstructured.Unstructured{Object: o} }

func conds(kv ...string) []any {
	var out []any
	for i := 0; i+2 < len(kv); i += 3 {
		out = append(out, map[string]any{"type": kv[i], "status": kv[i+1], "reason": kv[i+2]})
	}
	return out
}

func TestTenantRow(t *testing.T) {
	t.Parallel()
	waitingClaim := obj(map[string]any{
		"spec": map[string]any{"planType": "pro"},
		"status": map[string]any{
			"conditions": conds("Synced", "True", "ReconcileSuccess", "Ready", "False", "Waiting"),
			"rowplane": map[string]any{"readyOfDesired": "1/3", "resources": []any{
				map[string]any{"id": "ns", "phase": "Ready"},
				map[string]any{"id": "rds-instance", "phase": "Applied", "reason": "Ready=False (Creating)"},
				map[string]any{"id": "app", "phase": "Waiting", "reason": "waits for rds-instance (not ready)"},
			}},
		},
	})
	readyClaim := obj(map[string]any{
		"spec":   map[string]any{"planType": "enterprise"},
		"status": map[string]any{"conditions": conds("Ready", "True", "Available"), "rowplane": map[string]any{"readyOfDesired": "3/3"}},
	})
	rds := obj(map[string]any{"spec": map[string]any{"forProvider": map[string]any{"dbInstanceClass": "db.t3.small"}}})
	readyRDS := obj(map[string]any{
		"spec":   map[string]any{"forProvider": map[string]any{"dbInstanceClass": "db.m5.large"}},
		"status": map[string]any{"conditions": conds("Ready", "True", "Available")},
	})
	app := obj(map[string]any{"spec": map[string]any{"replicas": int64(2)}, "status": map[string]any{"availableReplicas": int64(1)}})
	deleting := obj(map[string]any{})
	deleting.SetDeletionTimestamp(&metav1.Time{Time: time.Unix(0, 0)})

	cases := map[string]struct {
		reason string
		t      stack.Tenant
		active bool
		del    *standin.Deletion
		want   row
	}{
		"RowNotSyncedYet": {
			reason: "An active row without a claim waits for the Hub's next sync.",
			t:      stack.Tenant{UID: "acme-corp"}, active: true,
			want: row{Tenant: "acme-corp", Plan: "-", Claim: "-", Ready: "-", WaitingOn: "Hub sync", App: "-", RDS: "-", Retained: "-"},
		},
		"AppWaitsForRDS": {
			reason: "A Waiting resource shows what it waits on, from the claim's status.rowplane.",
			t:      stack.Tenant{UID: "acme-corp", Claim: waitingClaim, RDS: rds}, active: true,
			want: row{Tenant: "acme-corp", Plan: "pro", Claim: "Waiting", Ready: "1/3", WaitingOn: "app → rds-instance", App: "-", RDS: "db.t3.small Creating", Retained: "-"},
		},
		"Ready": {
			reason: "A Ready tenant shows its replicas and its instance's class.",
			t:      stack.Tenant{UID: "initech", Claim: readyClaim, RDS: readyRDS, App: app}, active: true,
			want: row{Tenant: "initech", Plan: "enterprise", Claim: "Ready", Ready: "3/3", WaitingOn: "-", App: "1/2 replicas", RDS: "db.m5.large Ready", Retained: "-"},
		},
		"DeactivatedNotSynced": {
			reason: "A deactivated row whose claim the Hub has not deleted yet waits for the Hub's sync, not for teardown.",
			t:      stack.Tenant{UID: "initech", Claim: readyClaim, XR: readyClaim, RDS: readyRDS, App: app}, active: false,
			want: row{Tenant: "initech", Plan: "enterprise", Claim: "Ready", Ready: "3/3", WaitingOn: "Hub sync", App: "1/2 replicas", RDS: "db.m5.large Ready", Retained: "-"},
		},
		"TearingDown": {
			reason: "A deactivated row whose claim is being deleted lists what is left.",
			t:      stack.Tenant{UID: "initech", Claim: deleting, NS: deleting}, active: false,
			want: row{Tenant: "initech", Plan: "-", Claim: "deleting", Ready: "-", WaitingOn: "teardown: Namespace", App: "-", RDS: "-", Retained: "-"},
		},
		"Retained": {
			reason: "A deactivated row whose instance was deleted without Delete says the cloud database was kept.",
			t:      stack.Tenant{UID: "initech"}, active: false, del: &standin.Deletion{DeletionPolicy: "Orphan"},
			want: row{Tenant: "initech", Plan: "-", Claim: "removed", Ready: "-", WaitingOn: "-", App: "-", RDS: "-", Retained: "initech-postgres: cloud DB kept"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, tenantRow(tc.t, tc.active, tc.del)); diff != "" {
				t.Errorf("%s\ntenantRow: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRenderTable(t *testing.T) {
	t.Parallel()
	rows := []row{
		{Tenant: "acme-corp", Plan: "pro", Claim: "Waiting", Ready: "1/3", WaitingOn: "app → rds-instance", App: "-", RDS: "db.t3.small Creating", Retained: "-"},
		{Tenant: "initech", Plan: "-", Claim: "removed", Ready: "-", WaitingOn: "-", App: "-", RDS: "-", Retained: "initech-postgres: cloud DB kept"},
	}
	want := "" +
		"  TENANT     PLAN  CLAIM    READY  WAITING ON          APP  RDS INSTANCE          RETAINED\n" +
		"  acme-corp  pro   Waiting  1/3    app → rds-instance  -    db.t3.small Creating  -\n" +
		"  initech    -     removed  -      -                   -    -                     initech-postgres: cloud DB kept\n"
	if diff := cmp.Diff(want, renderTable(rows)); diff != "" {
		t.Errorf("columns align by characters, arrows included: -want, +got:\n%s", diff)
	}
}

func TestTimingsRender(t *testing.T) {
	t.Parallel()
	ts := &timings{}
	ts.add("INSERT 3 rows → 3 claims", 800*time.Millisecond)
	ts.add("deactivate → claim gone", 12340*time.Millisecond)
	want := "" +
		"  measured latency          seconds\n" +
		"  INSERT 3 rows → 3 claims      0.8\n" +
		"  deactivate → claim gone      12.3\n"
	if diff := cmp.Diff(want, ts.render()); diff != "" {
		t.Errorf("labels pad by characters, seconds right-aligned: -want, +got:\n%s", diff)
	}
}
