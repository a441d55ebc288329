package ready

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"
)

// fromYAML decodes YAML numbers as float64, as the protobuf Struct of a RunFunctionRequest
// does.
func fromYAML(t *testing.T, s string) *unstructured.Unstructured {
	t.Helper()
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}

// fromJSON decodes numbers as int64, as observed files read by crossplane render do.
func fromJSON(t *testing.T, s string) *unstructured.Unstructured {
	t.Helper()
	m := map[string]any{}
	if err := utiljson.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason string
		obj    string
		json   bool
		want   Status
	}{
		"Nil": {
			reason: "An object that is not observed is not ready.",
			want:   Status{Reason: "not observed yet"},
		},
		"DeploymentReady": {
			reason: "A Deployment whose counts match spec.replicas and is Available is ready.",
			obj: `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 2},
spec: {replicas: 2},
status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2,
  conditions: [{type: Available, status: "True"}]}}`,
			want: Status{Ready: true},
		},
		"DeploymentReadyInt64": {
			reason: "Counts decoded as int64 are read like float64 ones.",
			json:   true,
			obj: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},
"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1,
"conditions":[{"type":"Available","status":"True"}]}}`,
			want: Status{Ready: true},
		},
		"DeploymentZeroReplicas": {
			reason: "A Deployment scaled to zero is ready (Lynq never saw it ready).",
			obj: `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 3}, spec: {replicas: 0},
status: {observedGeneration: 3}}`,
			want: Status{Ready: true},
		},
		"DeploymentDefaultReplicas": {
			reason: "Absent spec.replicas means one replica.",
			obj: `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 1}, spec: {},
status: {observedGeneration: 1}}`,
			want: Status{Reason: "0 of 1 replicas updated"},
		},
		"DeploymentStaleGeneration": {
			reason: "Counts of an older generation say nothing about the current spec.",
			obj: `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 3}, spec: {replicas: 1},
status: {observedGeneration: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}}`,
			want: Status{Reason: "controller has observed generation 2 of 3"},
		},
		"DeploymentNoStatus": {
			reason: "A Deployment its controller has not seen is not ready.",
			obj:    `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 1}}`,
			want:   Status{Reason: "controller has not observed the object yet"},
		},
		"DeploymentOldPods": {
			reason: "Surplus old pods mean a rollout is still finishing.",
			obj: `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 1}, spec: {replicas: 1},
status: {observedGeneration: 1, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}}`,
			want: Status{Reason: "1 old replicas pending termination"},
		},
		"DeploymentUnavailable": {
			reason: "The Available condition must be True when pods are wanted.",
			obj: `{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 1}, spec: {replicas: 1},
status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1,
  conditions: [{type: Available, status: "False", reason: MinimumReplicasUnavailable}]}}`,
			want: Status{Reason: "Available=False (MinimumReplicasUnavailable)"},
		},
		"StatefulSetRolling": {
			reason: "A StatefulSet between revisions is not ready.",
			obj: `{apiVersion: apps/v1, kind: StatefulSet, metadata: {generation: 1}, spec: {replicas: 1},
status: {observedGeneration: 1, readyReplicas: 1, updatedReplicas: 1, currentRevision: a, updateRevision: b}}`,
			want: Status{Reason: "rolling out revision b"},
		},
		"StatefulSetReady": {
			reason: "A StatefulSet with every replica ready and updated is ready.",
			obj: `{apiVersion: apps/v1, kind: StatefulSet, metadata: {generation: 1}, spec: {replicas: 3},
status: {observedGeneration: 1, readyReplicas: 3, updatedReplicas: 3, currentRevision: a, updateRevision: a}}`,
			want: Status{Ready: true},
		},
		"DaemonSetNotAvailable": {
			reason: "A DaemonSet waits for every scheduled pod to be available.",
			obj: `{apiVersion: apps/v1, kind: DaemonSet, metadata: {generation: 1},
status: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2}}`,
			want: Status{Reason: "2 of 3 pods available"},
		},
		"JobComplete": {
			reason: "A completed Job is ready.",
			obj:    `{apiVersion: batch/v1, kind: Job, status: {conditions: [{type: Complete, status: "True"}]}}`,
			want:   Status{Ready: true},
		},
		"JobFailed": {
			reason: "A failed Job is failed, not merely unready.",
			obj: `{apiVersion: batch/v1, kind: Job, status: {conditions: [
  {type: Failed, status: "True", reason: BackoffLimitExceeded, message: Job has reached the specified backoff limit}]}}`,
			want: Status{Failed: true, Reason: "job failed: Failed=True (BackoffLimitExceeded: Job has reached the specified backoff limit)"},
		},
		"JobRunning": {
			reason: "A running Job is not ready.",
			obj:    `{apiVersion: batch/v1, kind: Job, status: {active: 1}}`,
			want:   Status{Reason: "job has not completed"},
		},
		"NamespaceActive": {
			reason: "An Active Namespace is ready.",
			obj:    `{apiVersion: v1, kind: Namespace, status: {phase: Active}}`,
			want:   Status{Ready: true},
		},
		"NamespaceTerminating": {
			reason: "A terminating Namespace is not ready.",
			obj:    `{apiVersion: v1, kind: Namespace, status: {phase: Terminating}}`,
			want:   Status{Reason: "phase is Terminating, want Active"},
		},
		"PVCPending": {
			reason: "A claim that is not Bound is not ready.",
			obj:    `{apiVersion: v1, kind: PersistentVolumeClaim, status: {phase: Pending}}`,
			want:   Status{Reason: "phase is Pending, want Bound"},
		},
		"PVCBound": {
			reason: "A Bound claim is ready.",
			obj:    `{apiVersion: v1, kind: PersistentVolumeClaim, status: {phase: Bound}}`,
			want:   Status{Ready: true},
		},
		"ServiceClusterIP": {
			reason: "A ClusterIP Service is ready once it exists.",
			obj:    `{apiVersion: v1, kind: Service, spec: {type: ClusterIP}}`,
			want:   Status{Ready: true},
		},
		"ServiceLoadBalancerPending": {
			reason: "A LoadBalancer Service needs an ingress address.",
			obj:    `{apiVersion: v1, kind: Service, spec: {type: LoadBalancer}, status: {loadBalancer: {}}}`,
			want:   Status{Reason: "no load balancer address yet"},
		},
		"ServiceLoadBalancerReady": {
			reason: "A LoadBalancer Service with an address is ready.",
			obj:    `{apiVersion: v1, kind: Service, spec: {type: LoadBalancer}, status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}}`,
			want:   Status{Ready: true},
		},
		"IngressReady": {
			reason: "An Ingress with a load balancer address is ready.",
			obj:    `{apiVersion: networking.k8s.io/v1, kind: Ingress, status: {loadBalancer: {ingress: [{hostname: lb.example.com}]}}}`,
			want:   Status{Ready: true},
		},
		"HPAUnable": {
			reason: "An autoscaling/v2 HPA needs AbleToScale=True.",
			obj:    `{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, status: {conditions: [{type: AbleToScale, status: "False", reason: FailedGetScale}]}}`,
			want:   Status{Reason: "AbleToScale=False (FailedGetScale)"},
		},
		"HPAv1": {
			reason: "autoscaling/v1 has no conditions, so the HPA is ready once it exists.",
			obj:    `{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler}`,
			want:   Status{Ready: true},
		},
		"ConfigMap": {
			reason: "A ConfigMap is ready once it exists.",
			obj:    `{apiVersion: v1, kind: ConfigMap}`,
			want:   Status{Ready: true},
		},
		"RoleBinding": {
			reason: "RBAC objects are ready once they exist.",
			obj:    `{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding}`,
			want:   Status{Ready: true},
		},
		"ManagedResourceReady": {
			reason: "A managed resource follows its Ready condition.",
			obj:    `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, spec: {forProvider: {}}, status: {conditions: [{type: Ready, status: "True"}]}}`,
			want:   Status{Ready: true},
		},
		"ManagedResourceCreating": {
			reason: "A creating managed resource reports its condition reason.",
			obj:    `{apiVersion: rds.aws.m.upbound.io/v1beta1, kind: Instance, spec: {forProvider: {}}, status: {conditions: [{type: Ready, status: "False", reason: Creating}]}}`,
			want:   Status{Reason: "Ready=False (Creating)"},
		},
		"ManagedResourceNoStatus": {
			reason: "A managed resource its provider has not reported on is not ready.",
			obj:    `{apiVersion: database.aws.crossplane.io/v1beta1, kind: RDSInstance, spec: {forProvider: {region: us-west-2}}}`,
			want:   Status{Reason: "managed resource has no Ready condition yet"},
		},
		"CustomResourceNoStatus": {
			reason: "A plain custom resource without a Ready condition is ready: many never write status.",
			obj:    `{apiVersion: example.org/v1, kind: Widget, spec: {size: 1}}`,
			want:   Status{Ready: true},
		},
		"CRDEstablished": {
			reason: "A CRD is ready when Established.",
			obj:    `{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, status: {conditions: [{type: Established, status: "True"}]}}`,
			want:   Status{Ready: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var o *unstructured.Unstructured
			switch {
			case tc.obj == "":
			case tc.json:
				o = fromJSON(t, tc.obj)
			default:
				o = fromYAML(t, tc.obj)
			}
			if diff := cmp.Diff(tc.want, Check(o)); diff != "" {
				t.Errorf("\n%s\nCheck(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
