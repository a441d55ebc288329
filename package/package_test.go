// Package packages holds the tests of rowplane's two Crossplane packages: their metadata, the
// Dockerfile that must stay in step with the Docker-free images, the install manifests, and
// (xpkg_test.go) the .xpkg files `make xpkg` builds, read back.
package packages

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/package/runtimeimage"
)

// roots are the package roots by package, with the meta kind each must declare.
var roots = map[string]struct{ dir, kind, name string }{
	"function": {dir: "function", kind: "Function", name: "function-rowplane"},
	"provider": {dir: "provider", kind: "Provider", name: "provider-rowplane"},
}

// docs decodes every YAML document of a stream.
func docs(t *testing.T, r io.Reader) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	yr := utilyaml.NewYAMLReader(bufio.NewReader(r))
	for {
		b, err := yr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		j, err := yaml.YAMLToJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(bytes.TrimSpace(j)) == 0 || string(bytes.TrimSpace(j)) == "null" {
			continue
		}
		u := &unstructured.Unstructured{}
		if err := json.Unmarshal(j, &u.Object); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
}

// fileDocs decodes every YAML document of every .yaml file under dir.
func fileDocs(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		out = append(out, docs(t, f)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// crdNames returns the sorted names of the CRDs among objs.
func crdNames(objs []*unstructured.Unstructured) []string {
	var names []string
	for _, o := range objs {
		if o.GetKind() == "CustomResourceDefinition" {
			names = append(names, o.GetName())
		}
	}
	sort.Strings(names)
	return names
}

// meta returns the one meta.pkg.crossplane.io object among objs.
func meta(t *testing.T, objs []*unstructured.Unstructured) *unstructured.Unstructured {
	t.Helper()
	var m []*unstructured.Unstructured
	for _, o := range objs {
		if strings.HasPrefix(o.GetAPIVersion(), "meta.pkg.crossplane.io/") {
			m = append(m, o)
		}
	}
	if len(m) != 1 {
		t.Fatalf("want exactly one meta.pkg.crossplane.io object, got %d", len(m))
	}
	return m[0]
}

func TestMetadata(t *testing.T) {
	t.Parallel()
	for pkg, root := range roots {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			objs := fileDocs(t, root.dir)
			m := meta(t, objs)
			if m.GetAPIVersion() != "meta.pkg.crossplane.io/v1" || m.GetKind() != root.kind || m.GetName() != root.name {
				// xpkg build lints a Function root with a Provider meta as a Provider: only
				// this test catches it.
				t.Fatalf("meta: want meta.pkg.crossplane.io/v1 %s %s, got %s %s %s", root.kind, root.name, m.GetAPIVersion(), m.GetKind(), m.GetName())
			}
			a := m.GetAnnotations()
			for k, want := range map[string]string{
				"meta.crossplane.io/maintainer": "rowplane developers <dev@rowplane.io>",
				"meta.crossplane.io/source":     runtimeimage.Source,
				"meta.crossplane.io/license":    runtimeimage.Licenses,
			} {
				if a[k] != want {
					t.Errorf("annotation %s: want %q, got %q", k, want, a[k])
				}
			}
			for _, k := range []string{"meta.crossplane.io/description", "friendly-name.meta.crossplane.io"} {
				if strings.TrimSpace(a[k]) == "" {
					t.Errorf("annotation %s is empty", k)
				}
			}
			// The marketplace reads extensions/; the annotations carry the same text and icon
			// for every other consumer. One must not drift from the other.
			readme, err := os.ReadFile(filepath.Join(root.dir, "extensions", "readme", "readme.md"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(readme), a["meta.crossplane.io/readme"]); diff != "" {
				t.Errorf("readme annotation differs from extensions/readme/readme.md: -file, +annotation:\n%s", diff)
			}
			icon, err := os.ReadFile(filepath.Join(root.dir, "extensions", "icons", "icon.svg"))
			if err != nil {
				t.Fatal(err)
			}
			if want := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(icon); a["meta.crossplane.io/iconURI"] != want {
				t.Error("iconURI annotation is not extensions/icons/icon.svg as a data URI")
			}
			// Every kind the package installs has a friendly name, its group too.
			for _, o := range objs {
				if o.GetKind() != "CustomResourceDefinition" {
					continue
				}
				group, _, _ := unstructured.NestedString(o.Object, "spec", "group")
				kind, _, _ := unstructured.NestedString(o.Object, "spec", "names", "kind")
				for _, k := range []string{
					"friendly-group-name.meta.crossplane.io/" + group,
					"friendly-kind-name.meta.crossplane.io/" + strings.ToLower(kind) + "." + group,
				} {
					if a[k] == "" {
						t.Errorf("CRD %s: no annotation %s", o.GetName(), k)
					}
				}
			}
		})
	}
}

func TestInstallManifests(t *testing.T) {
	t.Parallel()
	// The README applies these in order; each must parse and name what the others expect.
	byKindName := map[string]*unstructured.Unstructured{}
	for _, o := range fileDocs(t, "install") {
		byKindName[o.GetKind()+"/"+o.GetName()] = o
	}
	drc := byKindName["DeploymentRuntimeConfig/provider-rowplane"]
	if drc == nil {
		t.Fatal("no DeploymentRuntimeConfig provider-rowplane")
	}
	sa, _, _ := unstructured.NestedString(drc.Object, "spec", "serviceAccountTemplate", "metadata", "name")
	crb := byKindName["ClusterRoleBinding/provider-rowplane"]
	if crb == nil {
		t.Fatal("no ClusterRoleBinding provider-rowplane")
	}
	subjects, _, _ := unstructured.NestedSlice(crb.Object, "subjects")
	if len(subjects) != 1 || subjects[0].(map[string]any)["name"] != sa {
		t.Errorf("ClusterRoleBinding subjects %v: want the ServiceAccount %q of the DeploymentRuntimeConfig", subjects, sa)
	}
	role, _, _ := unstructured.NestedString(crb.Object, "roleRef", "name")
	if byKindName["ClusterRole/"+role] == nil {
		t.Errorf("ClusterRoleBinding refers to ClusterRole %q, which the install manifests lack", role)
	}
	p := byKindName["Provider/provider-rowplane"]
	if p == nil {
		t.Fatal("no Provider provider-rowplane")
	}
	if rc, _, _ := unstructured.NestedString(p.Object, "spec", "runtimeConfigRef", "name"); rc != drc.GetName() {
		t.Errorf("Provider runtimeConfigRef %q: want %q", rc, drc.GetName())
	}
	if byKindName["Function/function-rowplane"] == nil {
		t.Error("no Function function-rowplane")
	}
}

// stage is one FROM ... AS name stage of a Dockerfile: its instructions, continuation lines
// joined.
type stage struct{ instructions []string }

func (s stage) all(op string) []string {
	var out []string
	for _, in := range s.instructions {
		if f := strings.Fields(in); len(f) > 0 && strings.EqualFold(f[0], op) {
			out = append(out, strings.TrimSpace(in[len(f[0]):]))
		}
	}
	return out
}

func parseDockerfile(t *testing.T, path string) map[string]stage {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]stage{}
	cur, line := "", ""
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			line += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		line += l
		if f := strings.Fields(line); len(f) >= 4 && f[0] == "FROM" && strings.EqualFold(f[len(f)-2], "AS") {
			cur = f[len(f)-1]
		} else if cur != "" && strings.TrimSpace(line) != "" {
			s := stages[cur]
			s.instructions = append(s.instructions, strings.TrimSpace(line))
			stages[cur] = s
		}
		line = ""
	}
	return stages
}

var labelRE = regexp.MustCompile(`([\w.\-]+)="([^"]*)"`)

func TestDockerfileMatchesImages(t *testing.T) {
	t.Parallel()
	stages := parseDockerfile(t, "../Dockerfile")
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	// Both paths build with the same flags; only the variable syntax differs.
	const flags = `go build -trimpath -ldflags "-s -w -X main.version=%s"`
	if !bytes.Contains(makefile, []byte(strings.Replace(flags, "%s", "$(VERSION)", 1))) {
		t.Errorf("Makefile: no %q", strings.Replace(flags, "%s", "$(VERSION)", 1))
	}
	build := strings.Join(stages["build"].all("RUN"), "\n")
	for pkg, rt := range runtimeimage.Runtimes() {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			main := map[string]string{"function": "./fn", "provider": "./provider"}[pkg]
			wantBuild := "CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} " + strings.Replace(flags, "%s", "${VERSION}", 1) + " -o /out/" + rt.Name + " " + main
			if !strings.Contains(build, wantBuild) {
				t.Errorf("build stage: no %q", wantBuild)
			}
			s, ok := stages[pkg]
			if !ok {
				t.Fatalf("Dockerfile: no stage %q", pkg)
			}
			cfg := runtimeimage.Config(rt, "${VERSION}", "${REVISION}", true)
			labels := map[string]string{}
			for _, l := range s.all("LABEL") {
				for _, m := range labelRE.FindAllStringSubmatch(l, -1) {
					labels[m[1]] = m[2]
				}
			}
			var ports []string
			for _, e := range s.all("EXPOSE") {
				ports = append(ports, strings.Fields(e)...)
			}
			var wantPorts []string
			for p := range cfg.ExposedPorts {
				wantPorts = append(wantPorts, p)
			}
			sort.Strings(ports)
			sort.Strings(wantPorts)
			got := map[string]any{
				"user": s.all("USER"), "entrypoint": s.all("ENTRYPOINT"), "ports": ports, "labels": labels,
				"copy": s.all("COPY"),
			}
			ep, _ := json.Marshal(cfg.Entrypoint)
			want := map[string]any{
				"user": []string{cfg.User}, "entrypoint": []string{string(ep)}, "ports": wantPorts, "labels": cfg.Labels,
				"copy": []string{"--from=build /out/" + rt.Name + " " + rt.Entrypoint()},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Dockerfile stage %s differs from the image make images builds: -want, +got:\n%s", pkg, diff)
			}
		})
	}
}
