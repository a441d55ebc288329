package compose

import (
	"context"
	"fmt"
	"testing"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

func TestRunFunctionManagedFields(t *testing.T) {
	t.Parallel()
	form := `
apiVersion: fn.rowplane.io/v1beta1
kind: Form
spec:
  configMaps:
  - id: c
    nameTemplate: c
    waitForReady: true
    timeoutSeconds: 600
    readyWhen: "has(object.data) && object.data.ready == 'yes'"
    spec: {apiVersion: v1, kind: ConfigMap, data: {fields: "{{ .observed.c.metadata.managedFields }}", name: "{{ .observed.c.metadata.name }}"}}
`
	applied := time.Now().Add(-10 * time.Second).UTC().Format(time.RFC3339)
	observed := fmt.Sprintf(`{apiVersion: v1, kind: ConfigMap, metadata: {name: c, creationTimestamp: "2020-01-01T00:00:00Z", managedFields: [
  {manager: apiextensions.crossplane.io/composed/abc, operation: Apply, time: %q},
  {manager: kubectl, operation: Update, time: "2020-01-01T00:00:00Z"}]}, data: {ready: "no"}}`, applied)
	req := newRequest(t, xrYAML, form, nil)
	req.Observed.Resources = map[string]*fnv1.Resource{"c": {Resource: mustStruct(t, observed)}}
	rsp, err := testFunction().RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	data := rsp.GetDesired().GetResources()["c"].GetResource().GetFields()["data"].GetStructValue().GetFields()
	if got := data["name"].GetStringValue(); got != "c" {
		t.Errorf("templates see the observed object: data.name = %q, want %q", got, "c")
	}
	if got := data["fields"].GetStringValue(); got != "" {
		t.Errorf("templates see observed objects without managedFields: data.fields = %q, want empty", got)
	}
	st := rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()["rowplane"].GetStructValue().GetFields()
	// Created in 2020, but Crossplane applied it 10s ago: the 600s timeout runs from then.
	if failed, ready := st["failedResources"].GetNumberValue(), st["readyResources"].GetNumberValue(); failed != 0 || ready != 0 {
		t.Errorf("the timeout runs from Crossplane's last apply (managedFields): failed %v ready %v, want 0 and 0", failed, ready)
	}
}
