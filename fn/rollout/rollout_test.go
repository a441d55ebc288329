package rollout

import (
	"google.golang.org/protobuf/types/known/structpb"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/fn/ready"
	"github.com/rowplane/rowplane/input/v1beta1"
)

var now = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

func obj(t *testing.T, s string) *unstructured.Unstructured {
	t.Helper()
	j, err := yaml.YAMLToJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := utiljson.Unmarshal(j, &m); err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}

const (
	nsDesired   = `{apiVersion: v1, kind: Namespace, metadata: {name: node-acme}}`
	nsActive    = `{apiVersion: v1, kind: Namespace, metadata: {name: node-acme}, status: {phase: Active}}`
	rdsDesired  = `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: acme-postgres, namespace: node-acme}, spec: {forProvider: {}}}`
	rdsCreating = `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: acme-postgres, namespace: node-acme}, spec: {forProvider: {}}, status: {conditions: [{type: Ready, status: "False", reason: Creating}]}}`
	rdsReady    = `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, metadata: {name: acme-postgres, namespace: node-acme}, spec: {forProvider: {}}, status: {conditions: [{type: Ready, status: "True"}]}, x: {phase: up}}`
	appDesired  = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app, namespace: node-acme}, spec: {replicas: 1}}`
	appRolling  = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app, namespace: node-acme, generation: 1}, spec: {replicas: 1}, status: {observedGeneration: 1}}`
	svcDesired  = `{apiVersion: v1, kind: Service, metadata: {name: app, namespace: node-acme}}`
	jobFailed   = `{apiVersion: batch/v1, kind: Job, metadata: {name: migrate, namespace: node-acme}, status: {conditions: [{type: Failed, status: "True", reason: BackoffLimitExceeded}]}}`
)

// stack builds the database-per-node items; each option edits them.
type option func(t *testing.T, items map[string]*Item)

func observed(id, s string, age time.Duration) option {
	return func(t *testing.T, items map[string]*Item) {
		items[id].Observed = obj(t, s)
		items[id].ObservedCreated = now.Add(-age)
	}
}

func edit(id string, f func(*Item)) option {
	return func(_ *testing.T, items map[string]*Item) { f(items[id]) }
}

func stack(t *testing.T, opts ...option) []Item {
	t.Helper()
	timeout := int32(1800)
	list := []Item{
		{ID: "ns", Resource: v1beta1.Resource{ID: "ns"}, Desired: obj(t, nsDesired)},
		{ID: "rds-instance", Resource: v1beta1.Resource{ID: "rds-instance", DependIDs: []string{"ns"}, TimeoutSeconds: &timeout}, Desired: obj(t, rdsDesired)},
		{ID: "app", Resource: v1beta1.Resource{ID: "app", DependIDs: []string{"rds-instance", "ns"}}, Desired: obj(t, appDesired)},
		{ID: "svc", Resource: v1beta1.Resource{ID: "svc", DependIDs: []string{"app"}}, Desired: obj(t, svcDesired)},
	}
	byID := map[string]*Item{}
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	for _, o := range opts {
		o(t, byID)
	}
	return list
}

func ptr[T any](v T) *T { return &v }

// summary is the part of a Result a case asserts on.
type summary struct {
	Decisions []Decision
	Messages  []Message
	Ready     bool
}

func TestDecide(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		items  []Item
		want   summary
	}{
		"NothingObserved": {
			reason: "Only roots are emitted on the first reconcile; dependents say what they wait for.",
			items:  stack(t),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Phase: PhaseApplied, Reason: "not observed yet"},
					{ID: "rds-instance", Phase: PhaseWaiting, Reason: "waits for ns (not created yet)"},
					{ID: "app", Phase: PhaseWaiting, Reason: "waits for ns (not created yet), rds-instance (waiting)"},
					{ID: "svc", Phase: PhaseWaiting, Reason: "waits for app (waiting)"},
				},
				Messages: []Message{
					{SeverityNormal, "rds-instance", "rds-instance waits for ns (not created yet)"},
					{SeverityNormal, "app", "app waits for ns (not created yet), rds-instance (waiting)"},
					{SeverityNormal, "svc", "svc waits for app (waiting)"},
				},
			},
		},
		"WaitsForNotReady": {
			reason: "A dependency that exists but is not ready holds its dependents back.",
			items:  stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsCreating, 10*time.Minute)),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Phase: PhaseApplied, Reason: "Ready=False (Creating)"},
					{ID: "app", Phase: PhaseWaiting, Reason: "waits for rds-instance (not ready)"},
					{ID: "svc", Phase: PhaseWaiting, Reason: "waits for app (waiting)"},
				},
				Messages: []Message{
					{SeverityNormal, "app", "app waits for rds-instance (not ready)"},
					{SeverityNormal, "svc", "svc waits for app (waiting)"},
				},
			},
		},
		"TimeoutFailsAndSkips": {
			reason: "Past timeoutSeconds the resource fails; its dependents are skipped, transitively.",
			items:  stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsCreating, 31*time.Minute)),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Phase: PhaseFailed, Reason: "timed out after 30m0s waiting for readiness: Ready=False (Creating)"},
					{ID: "app", Phase: PhaseSkipped, Reason: "rds-instance failed (timed out after 30m0s)"},
					{ID: "svc", Phase: PhaseSkipped, Reason: "app skipped"},
				},
				Messages: []Message{
					{SeverityWarning, "rds-instance", "rds-instance failed: timed out after 30m0s waiting for readiness: Ready=False (Creating)"},
					{SeverityWarning, "app", "app skipped: rds-instance failed (timed out after 30m0s)"},
					{SeverityWarning, "svc", "svc skipped: app skipped"},
				},
			},
		},
		"TimeoutFromLastChange": {
			reason: "A change of the rendered spec restarts the timeout.",
			items: stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsCreating, 2*time.Hour),
				edit("rds-instance", func(it *Item) { it.LastChanged = now.Add(-time.Minute) })),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Phase: PhaseApplied, Reason: "Ready=False (Creating)"},
					{ID: "app", Phase: PhaseWaiting, Reason: "waits for rds-instance (not ready)"},
					{ID: "svc", Phase: PhaseWaiting, Reason: "waits for app (waiting)"},
				},
				Messages: []Message{
					{SeverityNormal, "app", "app waits for rds-instance (not ready)"},
					{SeverityNormal, "svc", "svc waits for app (waiting)"},
				},
			},
		},
		"ProceedOnFailure": {
			reason: "With skipOnDependencyFailure: false a failed dependency counts as ready.",
			items: stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsCreating, 31*time.Minute),
				edit("app", func(it *Item) { it.Resource.SkipOnDependencyFailure = ptr(false) })),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Phase: PhaseFailed, Reason: "timed out after 30m0s waiting for readiness: Ready=False (Creating)"},
					{ID: "app", Emit: true, Phase: PhaseApplied, Reason: "not observed yet"},
					{ID: "svc", Phase: PhaseWaiting, Reason: "waits for app (not created yet)"},
				},
				Messages: []Message{
					{SeverityWarning, "rds-instance", "rds-instance failed: timed out after 30m0s waiting for readiness: Ready=False (Creating)"},
					{SeverityNormal, "svc", "svc waits for app (not created yet)"},
				},
			},
		},
		"ExistingAlwaysEmitted": {
			reason: "A resource that exists stays emitted even when its dependency is no longer ready, or Crossplane would delete it.",
			items: stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsCreating, time.Minute),
				observed("app", appRolling, time.Minute)),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Phase: PhaseApplied, Reason: "Ready=False (Creating)"},
					{ID: "app", Emit: true, Phase: PhaseApplied, Reason: "0 of 1 replicas updated"},
					{ID: "svc", Phase: PhaseWaiting, Reason: "waits for app (not ready)"},
				},
				Messages: []Message{{SeverityNormal, "svc", "svc waits for app (not ready)"}},
			},
		},
		"NoWaitForReady": {
			reason: "A dependency with waitForReady: false only needs to be emitted, and is ready once it exists.",
			items: stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsCreating, time.Hour),
				edit("rds-instance", func(it *Item) { it.Resource.WaitForReady = ptr(false) })),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "app", Emit: true, Phase: PhaseApplied, Reason: "not observed yet"},
					{ID: "svc", Phase: PhaseWaiting, Reason: "waits for app (not created yet)"},
				},
				Messages: []Message{{SeverityNormal, "svc", "svc waits for app (not created yet)"}},
			},
		},
		"ReadyWhen": {
			reason: "readyWhen overrides the kind's rule: false holds dependents back even with Ready=True.",
			items: stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsReady, time.Minute),
				edit("rds-instance", func(it *Item) { it.Resource.ReadyWhen = `object.x.phase == "down"` })),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Phase: PhaseApplied, Reason: `readyWhen "object.x.phase == \"down\"" is false`},
					{ID: "app", Phase: PhaseWaiting, Reason: "waits for rds-instance (not ready)"},
					{ID: "svc", Phase: PhaseWaiting, Reason: "waits for app (waiting)"},
				},
				Messages: []Message{
					{SeverityNormal, "app", "app waits for rds-instance (not ready)"},
					{SeverityNormal, "svc", "svc waits for app (waiting)"},
				},
			},
		},
		"AllReady": {
			reason: "When everything exists and is ready, the composite may be Ready.",
			items: stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsReady, time.Hour),
				observed("app", `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 1}, spec: {replicas: 0}, status: {observedGeneration: 1}}`, time.Hour),
				observed("svc", svcDesired, time.Hour)),
			want: summary{
				Decisions: []Decision{
					{ID: "ns", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "rds-instance", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "app", Emit: true, Ready: true, Phase: PhaseReady},
					{ID: "svc", Emit: true, Ready: true, Phase: PhaseReady},
				},
				Ready: true,
			},
		},
		"JobFailed": {
			reason: "A kind-reported failure fails the resource at once, without waiting for the timeout.",
			items: []Item{
				{ID: "migrate", Resource: v1beta1.Resource{ID: "migrate"}, Observed: obj(t, jobFailed), ObservedCreated: now},
				{ID: "app", Resource: v1beta1.Resource{ID: "app", DependIDs: []string{"migrate"}}, Desired: obj(t, appDesired)},
			},
			want: summary{
				Decisions: []Decision{
					{ID: "migrate", Emit: true, Phase: PhaseFailed, Reason: "job failed: Failed=True (BackoffLimitExceeded)"},
					{ID: "app", Phase: PhaseSkipped, Reason: "migrate failed (job failed: Failed=True (BackoffLimitExceeded))"},
				},
				Messages: []Message{
					{SeverityWarning, "migrate", "migrate failed: job failed: Failed=True (BackoffLimitExceeded)"},
					{SeverityWarning, "app", "app skipped: migrate failed (job failed: Failed=True (BackoffLimitExceeded))"},
				},
			},
		},
		"WrapperNotReported": {
			reason: "A Retain wrapper that has not reported its object still exists and is emitted.",
			items: []Item{{ID: "cm", Resource: v1beta1.Resource{ID: "cm"}, Desired: obj(t, nsDesired),
				Wrapper: obj(t, `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object}`)}},
			want: summary{
				Decisions: []Decision{{ID: "cm", Emit: true, Phase: PhaseApplied, Reason: "wrapped object not reported by provider-kubernetes yet"}},
			},
		},
		"ExcludedDependency": {
			reason: "A dependency left out of the items (includeWhen false) holds nothing back.",
			items:  []Item{{ID: "app", Resource: v1beta1.Resource{ID: "app", DependIDs: []string{"gone"}}, Desired: obj(t, appDesired)}},
			want: summary{
				Decisions: []Decision{{ID: "app", Emit: true, Phase: PhaseApplied, Reason: "not observed yet"}},
			},
		},
	}
	c := ready.NewCEL(16)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := Decide(Input{Items: tc.items, Now: now, CEL: c})
			if err != nil {
				t.Fatalf("\n%s\nDecide(...): %v", tc.reason, err)
			}
			got := summary{Decisions: r.Decisions, Messages: r.Messages, Ready: r.Ready()}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(Decision{})); diff != "" {
				t.Errorf("\n%s\nDecide(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDecideErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		items  []Item
		want   string
	}{
		"OutOfOrder": {
			reason: "A dependent before its dependency means the caller did not use graph order.",
			items:  []Item{{ID: "app", Resource: v1beta1.Resource{DependIDs: []string{"db"}}}, {ID: "db"}},
			want:   `resource "app" comes before its dependency "db": items must be in graph order`,
		},
		"Duplicate": {
			reason: "Ids are unique.",
			items:  []Item{{ID: "a"}, {ID: "a"}},
			want:   `resource "a" appears twice`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Decide(Input{Items: tc.items, Now: now})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("\n%s\nDecide(...): want error %q, got %v", tc.reason, tc.want, err)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	items := stack(t, observed("ns", nsActive, time.Hour), observed("rds-instance", rdsCreating, 31*time.Minute))
	// A Retain wrapper shows the wrapped object's identity.
	items[3].Desired = obj(t, `{apiVersion: kubernetes.m.crossplane.io/v1alpha1, kind: Object, metadata: {name: service-app},
spec: {forProvider: {manifest: {apiVersion: v1, kind: Service, metadata: {name: app, namespace: node-acme}}}}}`)
	r, err := Decide(Input{Items: items, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	want := Status{
		DesiredResources: 4, ReadyResources: 1, FailedResources: 1, SkippedResources: 2,
		Resources: []ResourceStatus{
			{ID: "ns", APIVersion: "v1", Kind: "Namespace", Name: "node-acme", Phase: PhaseReady},
			{ID: "rds-instance", APIVersion: "rds.aws.m.upbound.io/v1beta1", Kind: "Instance", Namespace: "node-acme", Name: "acme-postgres", Phase: PhaseFailed,
				Reason: "timed out after 30m0s waiting for readiness: Ready=False (Creating)"},
			{ID: "app", APIVersion: "apps/v1", Kind: "Deployment", Namespace: "node-acme", Name: "app", Phase: PhaseSkipped, Reason: "rds-instance failed (timed out after 30m0s)"},
			{ID: "svc", APIVersion: "v1", Kind: "Service", Namespace: "node-acme", Name: "app", Phase: PhaseSkipped, Reason: "app skipped"},
		},
	}
	if diff := cmp.Diff(want, r.Status); diff != "" {
		t.Errorf("Status: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff("1 of 4 resources ready, 1 failed (rds-instance), 2 skipped (app, svc)", r.Status.Summary()); diff != "" {
		t.Errorf("Summary(): -want, +got:\n%s", diff)
	}
}

func TestTimes(t *testing.T) {
	t.Parallel()
	o := obj(t, `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, creationTimestamp: "2026-07-01T10:00:00Z", managedFields: [
  {manager: apiextensions.crossplane.io/composed/abc, operation: Apply, time: "2026-07-01T11:00:00Z"},
  {manager: kube-controller-manager, operation: Update, time: "2026-07-01T11:30:00Z"},
  {manager: apiextensions.crossplane.io/composed/abc, operation: Apply, subresource: status, time: "2026-07-01T10:30:00Z"}]}}`)
	if diff := cmp.Diff(time.Date(2026, 7, 1, 11, 0, 0, 0, time.UTC), LastApplied(o).UTC()); diff != "" {
		t.Errorf("LastApplied: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff(time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC), Created(o).UTC()); diff != "" {
		t.Errorf("Created: -want, +got:\n%s", diff)
	}
	s, err := structpb.NewStruct(o.Object)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(LastApplied(o).UTC(), LastAppliedStruct(s).UTC()); diff != "" {
		t.Errorf("LastAppliedStruct must read the time LastApplied reads: -want, +got:\n%s", diff)
	}
	if !LastAppliedStruct(nil).IsZero() {
		t.Errorf("LastAppliedStruct(nil) must be zero")
	}
	if !LastApplied(nil).IsZero() || !Created(nil).IsZero() {
		t.Errorf("nil objects must give zero times")
	}
	if !LastApplied(obj(t, `{kind: ConfigMap}`)).IsZero() {
		t.Errorf("an object without managedFields (crossplane render) must give a zero time")
	}
}
