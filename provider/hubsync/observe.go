package hubsync

import (
	"context"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// listPageSize bounds memory while listing: each page is reduced to observed records.
const listPageSize = 500

// observed is the little the Hub keeps of an existing object.
type observed struct {
	target    int
	name      string
	namespace string
	uid       string
	kuid      types.UID
	hash      string
	ours      bool
	deleting  bool
	ready     bool
	failed    bool
}

// observe lists every object of a target's kind in the Hub's scope: the Hub's own (by label)
// and everyone else's, so a row never takes over an object it did not create.
func observe(ctx context.Context, c client.Reader, hub *v1alpha1.Hub, t *target) (map[string]observed, error) {
	out := map[string]observed{}
	opts := []client.ListOption{client.Limit(listPageSize)}
	if t.namespaced {
		opts = append(opts, client.InNamespace(hub.Namespace))
	}
	cont := ""
	for {
		l := &unstructured.UnstructuredList{}
		l.SetGroupVersionKind(t.gvk.GroupVersion().WithKind(t.gvk.Kind + "List"))
		if err := c.List(ctx, l, append(opts, client.Continue(cont))...); err != nil {
			return nil, errors.Wrapf(err, "list %s", t)
		}
		for i := range l.Items {
			o := &l.Items[i]
			lb := o.GetLabels()
			out[o.GetName()] = observed{
				target:    t.index,
				name:      o.GetName(),
				namespace: o.GetNamespace(),
				uid:       o.GetAnnotations()[v1alpha1.AnnotationUID],
				kuid:      o.GetUID(),
				hash:      o.GetAnnotations()[v1alpha1.AnnotationHash],
				ours:      lb[v1alpha1.LabelHub] == hub.Name && lb[v1alpha1.LabelHubNamespace] == hub.Namespace,
				deleting:  o.GetDeletionTimestamp() != nil,
				ready:     conditionIs(o, "Ready", "True"),
				failed:    conditionIs(o, "Synced", "False"),
			}
		}
		cont = l.GetContinue()
		if cont == "" {
			return out, nil
		}
	}
}

func conditionIs(o *unstructured.Unstructured, typ, status string) bool {
	conds, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]any)
		if ok && m["type"] == typ {
			return m["status"] == status
		}
	}
	return false
}
