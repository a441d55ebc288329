package compose

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestRunFunctionRefusesRetainedSecret(t *testing.T) {
	t.Parallel()
	xr := "{apiVersion: example.rowplane.io/v1, kind: XApp, metadata: {name: x, namespace: team-a}, spec: {}}"
	form := `apiVersion: fn.rowplane.io/v1beta1
kind: Form
spec:
  secrets:
  - id: creds
    nameTemplate: app-creds
    deletionPolicy: Retain
    spec: {apiVersion: v1, kind: Secret, stringData: {password: s3cret-plaintext}}
`
	req := newRequest(t, xr, form, nil)
	rsp, err := testFunction().RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want := fatal(`cannot render the Form; nothing was changed: resource "creds" field deletionPolicy: cannot retain Secret "app-creds": ` + errRetainSecretForTest)
	if diff := cmp.Diff(want, rsp.GetResults(), protocmp.Transform()); diff != "" {
		t.Errorf("a retained Secret must be a Fatal result naming the resource and field: -want, +got:\n%s", diff)
	}
	b, err := protojson.Marshal(rsp.GetDesired())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "s3cret-plaintext") {
		t.Errorf("the Secret's data reached the desired state: %s", b)
	}
}

// errRetainSecretForTest is policy's message, spelled out so a change to it is reviewed.
const errRetainSecretForTest = "a retained Secret would have its data copied in plain text into the provider-kubernetes Object " +
	"that keeps it (spec.forProvider.manifest, and status.atProvider.manifest), readable by anyone who may read Objects; " +
	"leave deletionPolicy at Delete for Secrets, or create the Secret outside the Form (kubectl, External Secrets) " +
	"and refer to it by name"
