package packages

import (
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/rowplane/rowplane/package/runtimeimage"
)

// TestPublish runs `make publish` against an in-memory TLS registry on 127.0.0.1 and checks what
// a Crossplane package manager would pull: one tag per package, an index of both platforms, each
// with its package.yaml layer annotated as the package base. (Plain HTTP would do for 127.0.0.1,
// but the CLI pushes platforms in parallel and its HTTPS-then-HTTP probe then races.)
func TestPublish(t *testing.T) {
	cli := crossplaneCLI(t)
	reg := httptest.NewTLSServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(reg.Close)
	repo := strings.TrimPrefix(reg.URL, "https://") + "/rowplane"

	cmd := exec.Command("make", "-C", "..", "--no-print-directory", "publish",
		"OUT="+t.TempDir(), "VERSION="+testVersion, "CROSSPLANE="+cli, "REGISTRY="+repo,
		"PUSH_FLAGS=--insecure-skip-tls-verify")
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "MAKEFLAGS=") && !strings.HasPrefix(e, "MFLAGS=") && !strings.HasPrefix(e, "MAKELEVEL=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make publish: %v\n%s", err, out)
	}

	for pkg, rt := range runtimeimage.Runtimes() {
		t.Run(pkg, func(t *testing.T) {
			ref, err := name.ParseReference(repo + "/" + rt.Name + ":" + testVersion)
			if err != nil {
				t.Fatal(err)
			}
			idx, err := remote.Index(ref, remote.WithTransport(reg.Client().Transport))
			if err != nil {
				t.Fatalf("%s is not an image index: %v", ref, err)
			}
			im, err := idx.IndexManifest()
			if err != nil {
				t.Fatal(err)
			}
			var platforms []string
			for _, m := range im.Manifests {
				platforms = append(platforms, m.Platform.OS+"/"+m.Platform.Architecture)
				img, err := idx.Image(m.Digest)
				if err != nil {
					t.Fatal(err)
				}
				mf, err := img.Manifest()
				if err != nil {
					t.Fatal(err)
				}
				base := 0
				for _, l := range mf.Layers {
					if l.Annotations["io.crossplane.xpkg"] == "base" {
						base++
					}
				}
				if base != 1 {
					t.Errorf("%s: want one layer annotated io.crossplane.xpkg: base, got %d", m.Platform, base)
				}
			}
			sort.Strings(platforms)
			if diff := cmp.Diff([]string{"linux/amd64", "linux/arm64"}, platforms); diff != "" {
				t.Errorf("index platforms: -want, +got:\n%s", diff)
			}
		})
	}
}
