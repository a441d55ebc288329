package hubsync_test

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// This file holds the translation of a Lynq LynqHub (operator.lynq.sh/v1) into rowplane objects,
// written in the test so it documents the mapping the README's "From Lynq" table states:
//
//	LynqHub spec.source.mysql.{host,port,database}  -> ProviderConfig spec.{host,port,database}
//	LynqHub spec.source.mysql.username              -> key "username" added to the password Secret
//	LynqHub spec.source.mysql.passwordRef{name,key} -> ProviderConfig credentials.{secretRef.name,passwordKey}
//	LynqHub spec.source.mysql.table                 -> Hub spec.table (database lives on the ProviderConfig)
//	LynqHub spec.source.syncInterval                -> Hub spec.syncInterval (same syntax)
//	LynqHub spec.valueMappings.{uid,activate,hostOrUrl} -> Hub spec.valueMappings.{uid,activate,hostOrUrl}
//	LynqHub spec.extraValueMappings                 -> Hub spec.extraValueMappings
//	LynqForm with spec.hubId == hub name            -> a Composition named after the form (its spec is
//	                                                   the function's Form input); the Hub's one target
//	                                                   is the claim kind, compositionRef that Composition
//
// Decoding is strict, so a LynqHub field this translation does not know fails the test instead
// of being dropped.

// lynqHub is a LynqHub as far as rowplane translates it.
type lynqHub struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Source struct {
			Type         string `json:"type"`
			SyncInterval string `json:"syncInterval"`
			MySQL        struct {
				Host        string `json:"host"`
				Port        int32  `json:"port"`
				Username    string `json:"username"`
				PasswordRef struct {
					Name string `json:"name"`
					Key  string `json:"key"`
				} `json:"passwordRef"`
				Database string `json:"database"`
				Table    string `json:"table"`
			} `json:"mysql"`
		} `json:"source"`
		ValueMappings struct {
			UID       string `json:"uid"`
			HostOrURL string `json:"hostOrUrl"`
			Activate  string `json:"activate"`
		} `json:"valueMappings"`
		ExtraValueMappings map[string]string `json:"extraValueMappings"`
	} `json:"spec"`
}

// lynqForm is the part of a LynqForm the Hub translation needs: its name and hubId. Its spec
// becomes a Form input unedited (fn/lynq_test.go proves that).
type lynqForm struct {
	Name  string
	HubID string
}

// lynqObjects are the Lynq manifests of one translation.
type lynqObjects struct {
	hub     *lynqHub
	secrets []corev1.Secret
	forms   []lynqForm
}

// rowplaneObjects are what a LynqHub becomes.
type rowplaneObjects struct {
	secret *corev1.Secret
	pc     *v1alpha1.ProviderConfig
	hub    *v1alpha1.Hub
}

// decodeLynq splits multi-document YAML and decodes the LynqHub, Secrets and LynqForms in it.
func decodeLynq(docs ...[]byte) (lynqObjects, error) {
	var out lynqObjects
	sep := regexp.MustCompile(`(?m)^---[ \t]*$`)
	for _, file := range docs {
		for _, doc := range sep.Split(string(file), -1) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			tm := metav1.TypeMeta{}
			if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
				return out, err
			}
			switch tm.Kind {
			case "LynqHub":
				h := &lynqHub{}
				if err := yaml.UnmarshalStrict([]byte(doc), h); err != nil {
					return out, fmt.Errorf("LynqHub: %w", err)
				}
				out.hub = h
			case "Secret":
				s := corev1.Secret{}
				if err := yaml.UnmarshalStrict([]byte(doc), &s); err != nil {
					return out, fmt.Errorf("Secret: %w", err)
				}
				out.secrets = append(out.secrets, s)
			case "LynqForm":
				f := struct {
					metav1.ObjectMeta `json:"metadata"`
					Spec              struct {
						HubID string `json:"hubId"`
					} `json:"spec"`
				}{}
				if err := yaml.Unmarshal([]byte(doc), &f); err != nil {
					return out, fmt.Errorf("LynqForm: %w", err)
				}
				out.forms = append(out.forms, lynqForm{Name: f.Name, HubID: f.Spec.HubID})
			default:
				return out, fmt.Errorf("unexpected kind %q", tm.Kind)
			}
		}
	}
	if out.hub == nil {
		return out, errors.New("no LynqHub")
	}
	return out, nil
}

// fromLynq translates a LynqHub, the Secret its passwordRef names and the LynqForms that name it
// into a credentials Secret, a ProviderConfig and a Hub whose one target is claim. Everything
// rowplane has and Lynq lacks (TLS, query timeout, deletion guards) keeps rowplane's default.
func fromLynq(in lynqObjects, claim schema.GroupVersionKind) (rowplaneObjects, error) {
	lh := in.hub
	src := lh.Spec.Source
	if src.Type != "" && src.Type != "mysql" {
		return rowplaneObjects{}, fmt.Errorf("source.type %q: rowplane reads MySQL and MariaDB only", src.Type)
	}
	ref := src.MySQL.PasswordRef
	if ref.Key == "username" {
		return rowplaneObjects{}, errors.New("passwordRef.key is \"username\", the key the translation adds the username under")
	}
	var sec *corev1.Secret
	for i := range in.secrets {
		if s := in.secrets[i]; s.Name == ref.Name && (s.Namespace == lh.Namespace || s.Namespace == "") {
			sec = s.DeepCopy()
		}
	}
	if sec == nil {
		return rowplaneObjects{}, fmt.Errorf("passwordRef: no Secret %s/%s", lh.Namespace, ref.Name)
	}
	// rowplane reads the username from the Secret too: Lynq's Secret gains a username key.
	if sec.StringData == nil {
		sec.StringData = map[string]string{}
	}
	sec.StringData["username"] = src.MySQL.Username
	var forms []string
	for _, f := range in.forms {
		if f.HubID == lh.Name {
			forms = append(forms, f.Name)
		}
	}
	if len(forms) != 1 {
		// Lynq makes one node per row and form; rowplane one claim per row and target kind. Several
		// forms become Form steps of one Composition, named by hand.
		return rowplaneObjects{}, fmt.Errorf("want one LynqForm with hubId %q, got %d %v: put their specs in one Composition's pipeline", lh.Name, len(forms), forms)
	}
	pc := &v1alpha1.ProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Namespace: lh.Namespace, Name: lh.Name},
		Spec: v1alpha1.ProviderConfigSpec{
			Host: src.MySQL.Host, Port: src.MySQL.Port, Database: src.MySQL.Database,
			Credentials: v1alpha1.Credentials{SecretRef: v1alpha1.SecretRef{Name: sec.Name}, UsernameKey: "username", PasswordKey: ref.Key},
		},
	}
	hub := &v1alpha1.Hub{
		ObjectMeta: metav1.ObjectMeta{Namespace: lh.Namespace, Name: lh.Name, Labels: maps.Clone(lh.Labels)},
		Spec: v1alpha1.HubSpec{
			ProviderConfigReference: &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: pc.Name},
			Table:                   src.MySQL.Table,
			SyncInterval:            src.SyncInterval,
			ValueMappings: v1alpha1.ValueMappings{
				UID: lh.Spec.ValueMappings.UID, Activate: lh.Spec.ValueMappings.Activate, HostOrURL: lh.Spec.ValueMappings.HostOrURL,
			},
			ExtraValueMappings: maps.Clone(lh.Spec.ExtraValueMappings),
			Targets: []v1alpha1.Target{{APIVersion: claim.GroupVersion().String(), Kind: claim.Kind,
				CompositionRef: &v1alpha1.CompositionReference{Name: forms[0]}}},
		},
	}
	return rowplaneObjects{secret: sec, pc: pc, hub: hub}, nil
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
					CompositionRef: &v1alpha1.CompositionReference{Name: "web"}}},
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
			wantErr: `want one LynqForm with hubId "hub", got 0`,
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
