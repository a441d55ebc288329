package lynq

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const fixtures = "../../testdata/lynq"

func read(t *testing.T, names ...string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(fixtures, n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func get(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

// TestConvert converts a LynqHub and two LynqForms and checks what each object carries.
func TestConvert(t *testing.T) {
	t.Parallel()
	in, err := Decode(read(t, "hub.yaml", "form.yaml", "form-settings.yaml")...)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Convert(in, "", Options{ColumnTypes: map[string]string{"replica_count": "int(11)", "plan_id": "varchar(32)"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	byName := map[string][]map[string]any{}
	for _, f := range files {
		names = append(names, f.Name)
		byName[f.Name] = f.Objects
	}
	if diff := cmp.Diff([]string{"providerconfig.yaml", "hub.yaml", "xrd.yaml", "composition.yaml"}, names); diff != "" {
		t.Errorf("one file per concern: -want +got:\n%s", diff)
	}
	sec, pc := byName["providerconfig.yaml"][0], byName["providerconfig.yaml"][1]
	hub, xrd, comp := byName["hub.yaml"][0], byName["xrd.yaml"][0], byName["composition.yaml"][0]
	checks := []struct {
		reason string
		got    any
		want   any
	}{
		{"the username joins the password Secret", get(sec, "stringData", "username"), "lynq_reader"},
		{"the password stays where Lynq kept it", get(sec, "stringData", "password"), "not-a-real-password"},
		{"the connection carries over", get(pc, "spec", "host"), "db.shops.svc.cluster.local"},
		{"credentials name the password key", get(pc, "spec", "credentials", "passwordKey"), "password"},
		{"the table carries over", get(hub, "spec", "table"), "storefronts"},
		{"the interval carries over", get(hub, "spec", "syncInterval"), "45s"},
		{"the claim kind is the hub's name, singular, in CamelCase", get(xrd, "spec", "claimNames", "kind"), "Storefront"},
		{"the composite kind is X + the claim kind", get(xrd, "spec", "names", "kind"), "XStorefront"},
		{"an INT column types its field as an integer", get(xrd, "spec", "versions"), nil},
		{"the Composition is named after the hub", get(comp, "metadata", "name"), "storefronts"},
	}
	versions := get(xrd, "spec", "versions").([]any)
	props := get(versions[0].(map[string]any), "schema", "openAPIV3Schema", "properties", "spec", "properties").(map[string]any)
	checks[8].got, checks[8].want = get(props, "replicas", "type"), "integer"
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s: -want +got:\n%s", c.reason, diff)
		}
	}
	if diff := cmp.Diff("string", get(props, "deployImage", "type")); diff != "" {
		t.Errorf("a column without a known type is a string: -want +got:\n%s", diff)
	}
	if diff := cmp.Diff("string", get(props, "hostOrUrl", "type")); diff != "" {
		t.Errorf("hostOrUrl becomes a claim field: -want +got:\n%s", diff)
	}
	var steps []string
	for _, s := range get(comp, "spec", "pipeline").([]any) {
		steps = append(steps, s.(map[string]any)["step"].(string))
		if get(s.(map[string]any), "input", "spec", "hubId") != "storefronts" {
			t.Errorf("a LynqForm's spec is the Form input unedited: %v", s)
		}
	}
	if diff := cmp.Diff([]string{"storefront", "storefront-settings"}, steps); diff != "" {
		t.Errorf("one Form step per LynqForm, in name order: -want +got:\n%s", diff)
	}
}

func TestConvertErrors(t *testing.T) {
	t.Parallel()
	hub := string(read(t, "hub.yaml")[0])
	form := string(read(t, "form.yaml")[0])
	cases := map[string]struct {
		reason string
		docs   []string
		hub    string
		want   string
	}{
		"UnknownKind":  {"a kind the converter does not know is named, not dropped", []string{hub, form, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"}, "", `kind "ConfigMap" is not a LynqHub, LynqForm or Secret`},
		"UnknownField": {"a LynqHub field the conversion does not know fails", []string{strings.Replace(hub, "syncInterval: 45s", "syncInterval: 45s\n    postgresql: {}", 1), form}, "", "document 2: LynqHub"},
		"NoForm":       {"a hub without a form has nothing to compose", []string{hub}, "", `no LynqForm has hubId "storefronts"`},
		"OtherSource":  {"a source rowplane does not convert is refused", []string{strings.Replace(hub, "type: mysql", "type: postgresql", 1), form}, "", `source.type "postgresql"`},
		"UsernameKey":  {"the key the username is added under must not be the password's", []string{strings.Replace(hub, "key: password", "key: username", 1), form}, "", `passwordRef.key is "username"`},
		"WrongHub":     {"a named hub must be in the input", []string{hub, form}, "other", `no LynqHub "other"`},
		"NoHub":        {"the input must hold a hub", []string{form}, "", "no LynqHub in the input"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var docs [][]byte
			for _, d := range tc.docs {
				docs = append(docs, []byte(d))
			}
			in, err := Decode(docs...)
			if err == nil {
				_, err = Convert(in, tc.hub, Options{})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: want an error saying %q, got %v", tc.reason, tc.want, err)
			}
		})
	}
}

func TestSecretToFillIn(t *testing.T) {
	t.Parallel()
	in, err := Decode(read(t, "form.yaml", "hub.yaml")...)
	if err != nil {
		t.Fatal(err)
	}
	in.Secrets = nil
	files, err := Convert(in, "storefronts", Options{})
	if err != nil {
		t.Fatal(err)
	}
	sec := files[0].Objects[0]
	if diff := cmp.Diff(map[string]any{"username": "lynq_reader", "password": "REPLACE-ME"}, get(sec, "stringData")); diff != "" {
		t.Errorf("without the Secret in the input, one to fill in is written: -want +got:\n%s", diff)
	}
}
