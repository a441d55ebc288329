package rollout

import (
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// CrossplaneManagerPrefix starts the field manager names Crossplane applies composed
// resources with.
const CrossplaneManagerPrefix = "apiextensions.crossplane.io"

// LastApplied returns the newest metadata.managedFields[].time of a Crossplane field manager
// on obj: when Crossplane last changed the fields it renders. A no-op apply leaves it alone,
// so it moves only when the rendered spec changes. It is zero when obj is nil or has no
// such entry (e.g. under crossplane render). Pass the object Crossplane applies, i.e. the
// Retain wrapper rather than the object inside it.
func LastApplied(obj *unstructured.Unstructured) time.Time {
	var newest time.Time
	if obj == nil {
		return newest
	}
	for _, mf := range obj.GetManagedFields() {
		if !strings.HasPrefix(mf.Manager, CrossplaneManagerPrefix) || mf.Time == nil {
			continue
		}
		if t := mf.Time.Time; t.After(newest) {
			newest = t
		}
	}
	return newest
}

// Created returns obj's metadata.creationTimestamp, or zero when obj is nil or has none.
func Created(obj *unstructured.Unstructured) time.Time {
	if obj == nil {
		return time.Time{}
	}
	return obj.GetCreationTimestamp().Time
}

// LastAppliedStruct is LastApplied of an object as the function request carries it, read
// from its managedFields without converting the object.
func LastAppliedStruct(obj *structpb.Struct) time.Time {
	var newest time.Time
	entries := obj.GetFields()["metadata"].GetStructValue().GetFields()["managedFields"].GetListValue().GetValues()
	for _, e := range entries {
		f := e.GetStructValue().GetFields()
		if !strings.HasPrefix(f["manager"].GetStringValue(), CrossplaneManagerPrefix) {
			continue
		}
		t, err := time.Parse(time.RFC3339, f["time"].GetStringValue())
		if err != nil {
			continue
		}
		if t.After(newest) {
			newest = t.Local()
		}
	}
	return newest
}
