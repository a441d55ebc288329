// Package standin holds the test doubles of an end-to-end run, in place of what a laptop
// cannot reach: an RDS instance controller (no AWS) and the kubelet's Deployment status (no
// nodes). Both are plain polling loops against the API server; neither pretends to be more.
package standin

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/pkg/errors"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// RDSInstanceGVK is the kind the database-per-node example composes.
var RDSInstanceGVK = schema.GroupVersionKind{Group: "database.aws.crossplane.io", Version: "v1beta1", Kind: "RDSInstance"}

// finalizer is held while the stand-in "owns" the cloud side, as a provider's would be.
const finalizer = "finalizer.managedresource.crossplane.io"

// A Deletion is what the stand-in saw when an RDS instance was deleted.
type Deletion struct {
	// CloudDeleted says whether a real provider would have deleted the database in AWS:
	// Delete (or "*") in spec.managementPolicies and spec.deletionPolicy not Orphan.
	CloudDeleted bool
	// ManagementPolicies and DeletionPolicy as they were.
	ManagementPolicies []string
	DeletionPolicy     string
}

// RDS marks RDS instances Ready some time after creation and records their deletions.
type RDS struct {
	c     client.Client
	delay time.Duration

	mu      sync.Mutex
	deleted map[string]Deletion
}

// NewRDS returns a stand-in that makes an instance Ready delay after it first sees it.
func NewRDS(c client.Client, delay time.Duration) *RDS {
	return &RDS{c: c, delay: delay, deleted: map[string]Deletion{}}
}

// Deleted returns the deletion of the named instance, if it was deleted.
func (r *RDS) Deleted(name string) (Deletion, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.deleted[name]
	return d, ok
}

// InstallCRD creates the RDSInstance CRD: cluster scoped, any spec, a status subresource.
func InstallCRD(ctx context.Context, c client.Client) error {
	crd := &extv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: "rdsinstances.database.aws.crossplane.io"},
		Spec: extv1.CustomResourceDefinitionSpec{
			Group: RDSInstanceGVK.Group,
			Names: extv1.CustomResourceDefinitionNames{Kind: "RDSInstance", ListKind: "RDSInstanceList",
				Plural: "rdsinstances", Singular: "rdsinstance", Categories: []string{"crossplane", "managed", "aws"}},
			Scope: extv1.ClusterScoped,
			Versions: []extv1.CustomResourceDefinitionVersion{{
				Name: RDSInstanceGVK.Version, Served: true, Storage: true,
				Subresources: &extv1.CustomResourceSubresources{Status: &extv1.CustomResourceSubresourceStatus{}},
				Schema: &extv1.CustomResourceValidation{OpenAPIV3Schema: &extv1.JSONSchemaProps{
					Type: "object", XPreserveUnknownFields: ptr.To(true),
				}},
			}},
		},
	}
	if err := c.Create(ctx, crd); err != nil && !kerrors.IsAlreadyExists(err) {
		return errors.Wrap(err, "create RDSInstance CRD")
	}
	return nil
}

// Run reconciles until ctx ends.
func (r *RDS) Run(ctx context.Context) {
	seen := map[string]time.Time{}
	for ctx.Err() == nil {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(RDSInstanceGVK.GroupVersion().WithKind("RDSInstanceList"))
		if err := r.c.List(ctx, list); err == nil {
			for i := range list.Items {
				r.reconcile(ctx, &list.Items[i], seen)
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (r *RDS) reconcile(ctx context.Context, o *unstructured.Unstructured, seen map[string]time.Time) {
	name := o.GetName()
	if o.GetDeletionTimestamp() != nil {
		if !controllerutil.ContainsFinalizer(o, finalizer) {
			return
		}
		pol, _, _ := unstructured.NestedStringSlice(o.Object, "spec", "managementPolicies")
		dp, _, _ := unstructured.NestedString(o.Object, "spec", "deletionPolicy")
		d := Deletion{ManagementPolicies: pol, DeletionPolicy: dp,
			CloudDeleted: dp != "Orphan" && (pol == nil || slices.Contains(pol, "Delete") || slices.Contains(pol, "*"))}
		controllerutil.RemoveFinalizer(o, finalizer)
		if err := r.c.Update(ctx, o); err == nil {
			r.mu.Lock()
			r.deleted[name] = d
			r.mu.Unlock()
			delete(seen, name)
		}
		return
	}
	if !controllerutil.ContainsFinalizer(o, finalizer) {
		controllerutil.AddFinalizer(o, finalizer)
		if err := r.c.Update(ctx, o); err != nil {
			return
		}
	}
	first, ok := seen[name]
	if !ok {
		seen[name] = time.Now()
		return
	}
	if time.Since(first) < r.delay || isReady(o) {
		return
	}
	now := metav1.Now().UTC().Format(time.RFC3339)
	conds := []any{
		map[string]any{"type": "Ready", "status": "True", "reason": "Available", "lastTransitionTime": now},
		map[string]any{"type": "Synced", "status": "True", "reason": "ReconcileSuccess", "lastTransitionTime": now},
	}
	_ = unstructured.SetNestedSlice(o.Object, conds, "status", "conditions")
	_ = unstructured.SetNestedField(o.Object, "available", "status", "atProvider", "dbInstanceStatus")
	_ = r.c.Status().Update(ctx, o)
}

func isReady(o *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == "Ready" && m["status"] == "True" {
			return true
		}
	}
	return false
}
