package packages

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/internal/devstack/tool"
	"github.com/rowplane/rowplane/package/runtimeimage"
)

const (
	// testVersion is stamped into the binaries and image labels the tests build.
	testVersion = "v0.0.0-xpkgtest"
	// xpkgLabel marks which layer of a package image holds what, in the image config.
	xpkgLabel = "io.crossplane.xpkg:"
)

// crossplaneCLI returns the pinned crossplane CLI.
func crossplaneCLI(t *testing.T) string {
	return tool.Require(t, "ROWPLANE_CROSSPLANE", "crossplane CLI")
}

// makeXpkg runs `make xpkg` with the given variables into out, the way a user does, and returns
// its combined output.
func makeXpkg(t *testing.T, cli, out string, vars ...string) (string, error) {
	t.Helper()
	args := append([]string{"-C", "..", "--no-print-directory", "xpkg",
		"OUT=" + out, "VERSION=" + testVersion, "CROSSPLANE=" + cli}, vars...)
	cmd := exec.Command("make", args...)
	// A make test above us must not hand its jobserver or flags down.
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "MAKEFLAGS=") && !strings.HasPrefix(e, "MFLAGS=") && !strings.HasPrefix(e, "MAKELEVEL=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	b, err := cmd.CombinedOutput()
	return string(b), err
}

// layerFiles returns the regular files of a layer by path.
func layerFiles(t *testing.T, l v1.Layer) map[string][]byte {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string][]byte{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files["/"+strings.TrimPrefix(h.Name, "/")] = b
	}
}

// xpkgContents is what a test needs from a package: its config and its layers' files, by the
// xpkg label of the layer ("base" for package.yaml, "upbound" for examples, "" for runtime).
type xpkgContents struct {
	config *v1.ConfigFile
	layers map[string][]map[string][]byte
}

func readXpkg(t *testing.T, path string) xpkgContents {
	t.Helper()
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	c := xpkgContents{config: cf, layers: map[string][]map[string][]byte{}}
	for _, l := range ls {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		kind := cf.Config.Labels[xpkgLabel+d.String()]
		c.layers[kind] = append(c.layers[kind], layerFiles(t, l))
	}
	return c
}

// elfMachines maps GOARCH to the ELF machine of a binary built for it.
var elfMachines = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

func TestXpkg(t *testing.T) {
	cli := crossplaneCLI(t)
	out := t.TempDir()
	if log, err := makeXpkg(t, cli, out); err != nil {
		t.Fatalf("make xpkg: %v\n%s", err, log)
	}
	for pkg, root := range roots {
		rt := runtimeimage.Runtimes()[pkg]
		// What the package must hold: the meta object and every CRD of its root.
		src := fileDocs(t, root.dir)
		wantMeta := meta(t, src)
		wantCRDs := crdNames(src)
		for arch, machine := range elfMachines {
			t.Run(pkg+"/"+arch, func(t *testing.T) {
				path := filepath.Join(out, "xpkg", rt.Name+"_linux_"+arch+".xpkg")
				c := readXpkg(t, path)

				// package.yaml: the meta object as written, then the CRDs.
				if n := len(c.layers["base"]); n != 1 {
					t.Fatalf("want one layer labelled base (package.yaml), got %d", n)
				}
				stream, ok := c.layers["base"][0]["/package.yaml"]
				if !ok {
					t.Fatal("base layer has no package.yaml")
				}
				objs := docs(t, bytes.NewReader(stream))
				m := meta(t, objs)
				for _, f := range [][]string{{"kind"}, {"metadata", "name"}, {"metadata", "annotations"}, {"spec"}} {
					want, _, _ := unstructured.NestedFieldNoCopy(wantMeta.Object, f...)
					got, _, _ := unstructured.NestedFieldNoCopy(m.Object, f...)
					if pkg == "provider" && f[0] == "spec" {
						// capabilities: [] is dropped as empty when the package is encoded.
						want = map[string]any{"crossplane": map[string]any{"version": ">=v2.0.0-0"}}
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("meta %s: -crossplane.yaml, +package:\n%s", strings.Join(f, "."), diff)
					}
				}
				if caps, _, _ := unstructured.NestedStringSlice(m.Object, "spec", "capabilities"); pkg == "function" && !cmp.Equal(caps, []string{"composition"}) {
					t.Errorf("function capabilities: want [composition], got %v", caps)
				}
				if diff := cmp.Diff(wantCRDs, crdNames(objs)); diff != "" {
					t.Errorf("CRDs: -package root, +package:\n%s", diff)
				}
				if len(objs) != len(wantCRDs)+1 {
					t.Errorf("package.yaml: want the meta object and %d CRDs, got %d objects", len(wantCRDs), len(objs))
				}
				if len(c.layers["upbound"]) != 1 {
					t.Errorf("want one examples layer, got %d", len(c.layers["upbound"]))
				}

				// The embedded runtime image: config and binary.
				cfg := c.config.Config
				wantCfg := runtimeimage.Config(rt, testVersion, "", true)
				got := map[string]any{"user": cfg.User, "entrypoint": cfg.Entrypoint, "ports": cfg.ExposedPorts,
					"env": cfg.Env, "workdir": cfg.WorkingDir, "os": c.config.OS, "arch": c.config.Architecture,
					"title": cfg.Labels[runtimeimage.LabelTitle], "version": cfg.Labels[runtimeimage.LabelVersion]}
				want := map[string]any{"user": "65532:65532", "entrypoint": []string{"/usr/local/bin/" + rt.Name},
					"ports": wantCfg.ExposedPorts, "env": wantCfg.Env, "workdir": "/home/nonroot", "os": "linux", "arch": arch,
					"title": rt.Name, "version": testVersion}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("runtime image config: -want, +got:\n%s", diff)
				}
				if len(c.layers[""]) != 2 {
					t.Fatalf("want 2 runtime layers (skeleton, binary), got %d", len(c.layers[""]))
				}
				var fs []string
				for p := range c.layers[""][0] {
					fs = append(fs, p)
				}
				sort.Strings(fs)
				if diff := cmp.Diff([]string{"/etc/group", "/etc/passwd", runtimeimage.CABundle}, fs); diff != "" {
					t.Errorf("skeleton layer files: -want, +got:\n%s", diff)
				}
				bin, ok := c.layers[""][1][rt.Entrypoint()]
				if !ok {
					t.Fatalf("binary layer has no %s", rt.Entrypoint())
				}
				ef, err := elf.NewFile(bytes.NewReader(bin))
				if err != nil {
					t.Fatalf("%s is not an ELF binary: %v", rt.Entrypoint(), err)
				}
				if ef.Machine != machine {
					t.Errorf("%s: want ELF machine %v, got %v", rt.Entrypoint(), machine, ef.Machine)
				}
				if ef.Section(".interp") != nil {
					t.Errorf("%s is dynamically linked; the image has no libc", rt.Entrypoint())
				}
			})
		}
	}
}

func TestXpkgRejectsBrokenPackage(t *testing.T) {
	cli := crossplaneCLI(t)
	out := t.TempDir()
	cases := map[string]struct {
		reason  string
		pkg     string
		breakIt func(t *testing.T, root string)
		want    string
	}{
		"CompositionInFunction": {
			reason:  "A function package may hold only CRDs besides its meta object.",
			pkg:     "function",
			breakIt: copyFile("../examples/database-per-node/composition.yaml", "composition.yaml"),
			want:    "failed to lint package: object is not a CRD",
		},
		"XRDInProvider": {
			reason:  "A provider package may not hold an XRD.",
			pkg:     "provider",
			breakIt: copyFile("../examples/database-per-node/xrd.yaml", "crds/xrd.yaml"),
			want:    "failed to lint package: object did not pass any of the linters",
		},
		"BadCrossplaneConstraint": {
			reason:  "spec.crossplane.version must be a semver range.",
			pkg:     "function",
			breakIt: replaceIn("crossplane.yaml", `">=v2.0.0-0"`, `">=v2.x.y"`),
			want:    "failed to lint package: package version constraints are poorly formatted",
		},
		"TwoMetas": {
			reason:  "A package has exactly one meta object.",
			pkg:     "function",
			breakIt: copyFile("function/crossplane.yaml", "second.yaml"),
			want:    "not exactly one package meta type",
		},
		"NoMeta": {
			reason:  "A package root without crossplane.yaml is no package.",
			pkg:     "provider",
			breakIt: func(t *testing.T, root string) { must(t, os.Remove(filepath.Join(root, "crossplane.yaml"))) },
			want:    "not exactly one package meta type",
		},
		"UnknownKind": {
			reason:  "Objects of kinds no package may carry fail to parse.",
			pkg:     "function",
			breakIt: writeFile("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"),
			want:    `failed to parse package`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), tc.pkg)
			must(t, os.CopyFS(root, os.DirFS(roots[tc.pkg].dir)))
			tc.breakIt(t, root)
			log, err := makeXpkg(t, cli, out, "PACKAGES="+tc.pkg, "PLATFORMS=linux/amd64", "PACKAGE_ROOT_"+tc.pkg+"="+root)
			if err == nil {
				t.Fatalf("%s\nmake xpkg built a broken package:\n%s", tc.reason, log)
			}
			if !strings.Contains(log, "crossplane: error: failed to build package") || !strings.Contains(log, tc.want) {
				t.Errorf("%s\nmake xpkg output lacks Crossplane's %q:\n%s", tc.reason, tc.want, log)
			}
			if !strings.Contains(log, root+" is not a valid package") {
				t.Errorf("%s\nmake xpkg output does not name the broken root %s:\n%s", tc.reason, root, log)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// copyFile copies src (relative to this folder) to dst in the package root.
func copyFile(src, dst string) func(*testing.T, string) {
	return func(t *testing.T, root string) {
		b, err := os.ReadFile(src)
		must(t, err)
		must(t, os.WriteFile(filepath.Join(root, dst), b, 0o644))
	}
}

func writeFile(dst, content string) func(*testing.T, string) {
	return func(t *testing.T, root string) {
		must(t, os.WriteFile(filepath.Join(root, dst), []byte(content), 0o644))
	}
}

func replaceIn(file, old, replacement string) func(*testing.T, string) {
	return func(t *testing.T, root string) {
		p := filepath.Join(root, file)
		b, err := os.ReadFile(p)
		must(t, err)
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q to break", file, old)
		}
		must(t, os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(replacement), 1), 0o644))
	}
}
