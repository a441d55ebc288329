package runtimeimage

import (
	"archive/tar"
	"errors"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// files lists a layer's entries as "path mode uid:gid".
func files(t *testing.T, l v1.Layer) []string {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var out []string
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, h.Name+" "+h.FileInfo().Mode().String()+" "+strconv.Itoa(h.Uid)+":"+strconv.Itoa(h.Gid))
	}
}

func TestImage(t *testing.T) {
	t.Parallel()
	fn := Runtimes()["function"]
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]struct {
		reason   string
		build    Build
		wantCfg  v1.Config
		wantBase []string
		wantBin  []string
	}{
		"WithRoots": {
			reason: "A CA bundle lands where Go and distroless look for it and SSL_CERT_FILE points there.",
			build: Build{Runtime: fn, Platform: v1.Platform{OS: "linux", Architecture: "arm64"},
				Binary: []byte("\x7fELF"), CABundle: []byte("PEM"), Version: "v1.2.3", Revision: "abc", Created: created},
			wantCfg: v1.Config{
				User:         "65532:65532",
				Entrypoint:   []string{"/usr/local/bin/function-rowplane"},
				Env:          []string{"PATH=" + Path, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"},
				WorkingDir:   "/home/nonroot",
				ExposedPorts: map[string]struct{}{"8080/tcp": {}, "9443/tcp": {}},
				Labels: map[string]string{
					LabelTitle: "function-rowplane", LabelDescription: fn.Description, LabelSource: Source,
					LabelLicenses: "Apache-2.0", LabelVendor: "rowplane", LabelVersion: "v1.2.3", LabelRevision: "abc",
				},
			},
			wantBase: []string{"etc/ drwxr-xr-x 0:0", "etc/passwd -rw-r--r-- 0:0", "etc/group -rw-r--r-- 0:0",
				"etc/ssl/ drwxr-xr-x 0:0", "etc/ssl/certs/ drwxr-xr-x 0:0", "etc/ssl/certs/ca-certificates.crt -rw-r--r-- 0:0",
				"home/ drwxr-xr-x 0:0", "home/nonroot/ drwx------ 65532:65532", "tmp/ dtrwxrwxrwx 0:0"},
			wantBin: []string{"usr/ drwxr-xr-x 0:0", "usr/local/ drwxr-xr-x 0:0", "usr/local/bin/ drwxr-xr-x 0:0",
				"usr/local/bin/function-rowplane -rwxr-xr-x 0:0"},
		},
		"WithoutRoots": {
			reason: "Without a CA bundle the image has no certs directory and no SSL_CERT_FILE.",
			build: Build{Runtime: fn, Platform: v1.Platform{OS: "linux", Architecture: "amd64"},
				Binary: []byte("\x7fELF"), Version: "v1.2.3", Created: created},
			wantCfg: Config(fn, "v1.2.3", "", false),
			wantBase: []string{"etc/ drwxr-xr-x 0:0", "etc/passwd -rw-r--r-- 0:0", "etc/group -rw-r--r-- 0:0",
				"home/ drwxr-xr-x 0:0", "home/nonroot/ drwx------ 65532:65532", "tmp/ dtrwxrwxrwx 0:0"},
			wantBin: []string{"usr/ drwxr-xr-x 0:0", "usr/local/ drwxr-xr-x 0:0", "usr/local/bin/ drwxr-xr-x 0:0",
				"usr/local/bin/function-rowplane -rwxr-xr-x 0:0"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			img, err := Image(tc.build)
			if err != nil {
				t.Fatalf("%s\nImage(...): %v", tc.reason, err)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantCfg, cf.Config); diff != "" {
				t.Errorf("%s\nconfig: -want, +got:\n%s", tc.reason, diff)
			}
			if got := cf.Platform(); got.OS != tc.build.Platform.OS || got.Architecture != tc.build.Platform.Architecture {
				t.Errorf("%s\nplatform: want %v, got %v", tc.reason, tc.build.Platform, got)
			}
			if !cf.Created.Time.Equal(created) {
				t.Errorf("%s\ncreated: want %v, got %v", tc.reason, created, cf.Created)
			}
			ls, err := img.Layers()
			if err != nil || len(ls) != 2 {
				t.Fatalf("%s\nlayers: want 2, got %d (%v)", tc.reason, len(ls), err)
			}
			if diff := cmp.Diff(tc.wantBase, files(t, ls[0])); diff != "" {
				t.Errorf("%s\nskeleton layer: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantBin, files(t, ls[1])); diff != "" {
				t.Errorf("%s\nbinary layer: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestImageIsReproducible(t *testing.T) {
	t.Parallel()
	b := Build{Runtime: Runtimes()["provider"], Platform: v1.Platform{OS: "linux", Architecture: "amd64"},
		Binary: []byte("binary"), CABundle: []byte("PEM"), Version: "v0.0.0-abc", Created: time.Unix(1700000000, 0)}
	digest := func() v1.Hash {
		img, err := Image(b)
		if err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if a, b := digest(), digest(); a != b {
		t.Errorf("two builds of the same inputs differ: %s and %s", a, b)
	}
}

func TestImageRejectsNoBinary(t *testing.T) {
	t.Parallel()
	if _, err := Image(Build{Runtime: Runtimes()["function"]}); err == nil {
		t.Error("Image without a binary: want an error, got none")
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason  string
		pkg     string
		want    string
		wantErr bool
	}{
		"Function": {reason: "The function package runs function-rowplane.", pkg: "function", want: "/usr/local/bin/function-rowplane"},
		"Provider": {reason: "The provider package runs provider-rowplane.", pkg: "provider", want: "/usr/local/bin/provider-rowplane"},
		"Unknown":  {reason: "A typo in the Makefile is an error, not an empty image.", pkg: "fucntion", wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rt, err := Lookup(tc.pkg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\nLookup(%q): error %v, want error %v", tc.reason, tc.pkg, err, tc.wantErr)
			}
			if got := rt.Entrypoint(); !tc.wantErr && got != tc.want {
				t.Errorf("%s\nLookup(%q).Entrypoint(): want %s, got %s", tc.reason, tc.pkg, tc.want, got)
			}
		})
	}
}
