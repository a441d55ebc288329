package hubsync_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/internal/lynq"
)

// The translation of Lynq's objects lives in internal/lynq (the lynq-convert command); these
// tests run it and check the typed objects it writes, and the envtest tests sync them.

// rowplaneObjects are the typed objects a LynqHub becomes.
type rowplaneObjects struct {
	secret *corev1.Secret
	pc     *v1alpha1.ProviderConfig
	hub    *v1alpha1.Hub
}

// decodeLynq reads Lynq's objects from multi-document YAML.
func decodeLynq(docs ...[]byte) (lynq.Objects, error) { return lynq.Decode(docs...) }

// fromLynq converts the one LynqHub of in with claim as the Hub's target kind.
func fromLynq(in lynq.Objects, claim schema.GroupVersionKind) (rowplaneObjects, error) {
	files, err := lynq.Convert(in, "", lynq.Options{Group: claim.Group, Version: claim.Version, ClaimKind: claim.Kind})
	if err != nil {
		return rowplaneObjects{}, err
	}
	out := rowplaneObjects{secret: &corev1.Secret{}, pc: &v1alpha1.ProviderConfig{}, hub: &v1alpha1.Hub{}}
	for _, f := range files {
		for _, o := range f.Objects {
			var into runtime.Object
			switch o["kind"] {
			case "Secret":
				into = out.secret
			case v1alpha1.ProviderConfigKind:
				into = out.pc
			case v1alpha1.HubKind:
				into = out.hub
			default:
				continue
			}
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o, into); err != nil {
				return rowplaneObjects{}, err
			}
		}
	}
	// The tests compare specs and metadata; the kinds are known from the fields.
	out.secret.TypeMeta, out.pc.TypeMeta, out.hub.TypeMeta = metav1.TypeMeta{}, metav1.TypeMeta{}, metav1.TypeMeta{}
	return out, nil
}

var webNodeGVK = schema.GroupVersionKind{Group: "example.rowplane.io", Version: "v1alpha1", Kind: "WebNode"}

// lynqHubYAML is a LynqHub in the sample's shape; the cases below vary it.
const lynqHubYAML = `apiVersion: v1
kind: Secret
metadata: {name: db, namespace: t}
data: {pw: c2VjcmV0}
---
apiVersion: operator.lynq.sh/v1
kind: LynqHub
metadata: {name: hub, namespace: t}
spec:
  source:
    type: %s
    syncInterval: 5m
    mysql: {host: db.t.svc, username: reader, passwordRef: {name: db, key: %s}, database: tenants, table: nodes}
  valueMappings: {uid: id, activate: enabled}
---
apiVersion: operator.lynq.sh/v1
kind: LynqForm
metadata: {name: web, namespace: t}
spec: {hubId: %s}
`

// TestFromLynq proves the translation on variations of a LynqHub.
func TestFromLynq(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason   string
		doc      string
		wantHub  *v1alpha1.Hub
		wantPC   *v1alpha1.ProviderConfig
		wantUser map[string]string
		wantErr  string
	}{
		"Minimal": {
			reason: "no port, hostOrUrl or extras: the port stays unset (rowplane defaults it to 3306 as Lynq does) and only uid and activate are mapped",
			doc:    fmt.Sprintf(lynqHubYAML, "mysql", "pw", "hub"),
			wantHub: &v1alpha1.Hub{ObjectMeta: metav1.ObjectMeta{Namespace: "t", Name: "hub"}, Spec: v1alpha1.HubSpec{
				ProviderConfigReference: &xpv2.ProviderConfigReference{Kind: "ProviderConfig", Name: "hub"},
				Table:                   "nodes", SyncInterval: "5m",
				ValueMappings: v1alpha1.ValueMappings{UID: "id", Activate: "enabled"},
				Targets: []v1alpha1.Target{{APIVersion: "example.rowplane.io/v1alpha1", Kind: "WebNode",
					CompositionRef: &v1alpha1.CompositionReference{Name: "hub"}}},
			}},
			wantPC: &v1alpha1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: "t", Name: "hub"}, Spec: v1alpha1.ProviderConfigSpec{
				Host: "db.t.svc", Database: "tenants",
				Credentials: v1alpha1.Credentials{SecretRef: v1alpha1.SecretRef{Name: "db"}, UsernameKey: "username", PasswordKey: "pw"},
			}},
			wantUser: map[string]string{"username": "reader"},
		},
		"SourceTypeOmitted": {
			reason:  "mysql is Lynq's only source type, so an omitted type translates",
			doc:     fmt.Sprintf(lynqHubYAML, `""`, "pw", "hub"),
			wantErr: "",
		},
		"PostgreSQL": {
			reason:  "a source rowplane cannot read is refused, not translated into a Hub that fails later",
			doc:     fmt.Sprintf(lynqHubYAML, "postgresql", "pw", "hub"),
			wantErr: `source.type "postgresql"`,
		},
		"PasswordKeyIsUsername": {
			reason:  "the username key the translation adds must not overwrite the password",
			doc:     fmt.Sprintf(lynqHubYAML, "mysql", "username", "hub"),
			wantErr: `passwordRef.key is "username"`,
		},
		"NoForm": {
			reason:  "without a LynqForm naming the hub there is no Composition for the target",
			doc:     fmt.Sprintf(lynqHubYAML, "mysql", "pw", "other-hub"),
			wantErr: `no LynqForm has hubId "hub"`,
		},
		"UnknownField": {
			reason:  "strict decoding: a LynqHub field the translation does not know fails instead of being dropped",
			doc:     strings.Replace(fmt.Sprintf(lynqHubYAML, "mysql", "pw", "hub"), "syncInterval: 5m", "syncInterval: 5m\n    postgresql: {}", 1),
			wantErr: `postgresql`, // the unknown field is named; the decoder's wording around it is not ours
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in, err := decodeLynq([]byte(tc.doc))
			var got rowplaneObjects
			if err == nil {
				got, err = fromLynq(in, webNodeGVK)
			}
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if tc.wantErr != "" || gotErr != "" {
				if tc.wantErr == "" || !strings.Contains(gotErr, tc.wantErr) {
					t.Fatalf("%s\nerror: want containing %q, got %q", tc.reason, tc.wantErr, gotErr)
				}
				return
			}
			if tc.wantHub != nil {
				if diff := cmp.Diff(tc.wantHub, got.hub); diff != "" {
					t.Errorf("%s\nHub: -want +got:\n%s", tc.reason, diff)
				}
			}
			if tc.wantPC != nil {
				if diff := cmp.Diff(tc.wantPC, got.pc); diff != "" {
					t.Errorf("%s\nProviderConfig: -want +got:\n%s", tc.reason, diff)
				}
			}
			if tc.wantUser != nil {
				if diff := cmp.Diff(tc.wantUser, got.secret.StringData); diff != "" {
					t.Errorf("%s\nSecret stringData: -want +got:\n%s", tc.reason, diff)
				}
				if diff := cmp.Diff("secret", string(got.secret.Data["pw"])); diff != "" {
					t.Errorf("%s\nthe Lynq Secret's password is kept under its key: -want +got:\n%s", tc.reason, diff)
				}
			}
		})
	}
}
