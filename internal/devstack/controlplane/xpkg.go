package controlplane

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/pkg/errors"
)

// packageStream is the file in a package image that holds the package's YAML stream.
const packageStream = "package.yaml"

// An Xpkg is a Crossplane package file as `crossplane xpkg build` writes it: an OCI image
// tarball whose layers hold package.yaml and the runtime image.
type Xpkg struct {
	// Path of the .xpkg file.
	Path string
	// Digest of the image, sha256:<hex>: what `<source>@<digest>` pins.
	Digest string
	// Entrypoint is the runtime binary's path in the image.
	Entrypoint string

	img v1.Image
}

// OpenXpkg reads the package file at path.
func OpenXpkg(p string) (*Xpkg, error) {
	img, err := tarball.ImageFromPath(p, nil)
	if err != nil {
		return nil, errors.Wrapf(err, "read package %s", p)
	}
	d, err := img.Digest()
	if err != nil {
		return nil, errors.Wrapf(err, "digest of %s", p)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, errors.Wrapf(err, "image config of %s", p)
	}
	x := &Xpkg{Path: p, Digest: d.String(), img: img}
	if len(cfg.Config.Entrypoint) > 0 {
		x.Entrypoint = cfg.Config.Entrypoint[0]
	}
	return x, nil
}

// Ref is the reference users install: <source>@<digest>.
func (x *Xpkg) Ref(source string) string { return source + "@" + x.Digest }

// extract copies the files the image's flattened filesystem holds at the given paths
// (absolute, as in the image) to their destinations.
func (x *Xpkg) extract(files map[string]string) error {
	rc := mutate.Extract(x.img)
	defer rc.Close() //nolint:errcheck // read only.
	tr := tar.NewReader(rc)
	left := len(files)
	for left > 0 {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return errors.Wrapf(err, "read %s", x.Path)
		}
		dest, ok := files[path.Clean("/"+h.Name)]
		if !ok {
			continue
		}
		if err := writeFrom(tr, dest, os.FileMode(h.Mode)&0o755); err != nil { //nolint:gosec // tar modes fit.
			return err
		}
		left--
	}
	if left > 0 {
		return errors.Errorf("%s: %d of the files %v not in the image", x.Path, left, files)
	}
	return nil
}

// ExtractBinary writes the runtime binary (the image's entrypoint) to dest: the suite runs
// exactly what the package ships.
func (x *Xpkg) ExtractBinary(dest string) error {
	if x.Entrypoint == "" {
		return errors.Errorf("%s: the runtime image has no entrypoint", x.Path)
	}
	return x.extract(map[string]string{path.Clean(x.Entrypoint): dest})
}

// Cache puts the package into Crossplane's package cache directory as Crossplane itself would
// after pulling source@digest: package.yaml, gzipped, named by the cache key Crossplane
// computes. Crossplane then installs the package without a registry.
func (x *Xpkg) Cache(cacheDir, source string) error {
	ref, err := name.ParseReference(x.Ref(source))
	if err != nil {
		return errors.Wrapf(err, "package reference %s", x.Ref(source))
	}
	src := strings.TrimRight(strings.TrimSuffix(ref.String(), ref.Identifier()), ":@")
	raw := filepath.Join(cacheDir, "package.yaml.tmp")
	if err := x.extract(map[string]string{"/" + packageStream: raw}); err != nil {
		return err
	}
	defer os.Remove(raw)    //nolint:errcheck // temporary.
	in, err := os.Open(raw) //nolint:gosec // our file.
	if err != nil {
		return errors.Wrap(err, "open package.yaml")
	}
	defer in.Close()                                                              //nolint:errcheck // read only.
	out, err := os.Create(filepath.Join(cacheDir, CacheKey(src, x.Digest)+".gz")) //nolint:gosec // our dir.
	if err != nil {
		return errors.Wrap(err, "create cache entry")
	}
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		_ = out.Close()
		return errors.Wrap(err, "write cache entry")
	}
	if err := zw.Close(); err != nil {
		_ = out.Close()
		return errors.Wrap(err, "flush cache entry")
	}
	return errors.Wrap(out.Close(), "close cache entry")
}

// CacheKey is the name Crossplane v2.2 gives a package in its cache (xpkg.FriendlyID): the
// first 50 characters of the source and the first 12 of the digest, joined by '-' and cut down
// to a DNS label: lower-case letters and digits kept, '.', '/', ':' and '-' turned into '-'
// except at the ends, everything else dropped, at most 63 characters considered.
func CacheKey(source, digest string) string {
	s := truncate(source, 50) + "-" + truncate(digest, 12)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case (c == '.' || c == '/' || c == ':' || c == '-') && i != 0 && i != 62 && i != len(s)-1:
			b.WriteByte('-')
		}
		if i == 62 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// writeFrom copies r into a new file at dest.
func writeFrom(r io.Reader, dest string, mode os.FileMode) error {
	if mode == 0 {
		mode = 0o644
	}
	f, err := os.OpenFile(dest, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode) //nolint:gosec // our dir.
	if err != nil {
		return errors.Wrapf(err, "create %s", dest)
	}
	if _, err := io.Copy(f, r); err != nil { //nolint:gosec // package files we built.
		_ = f.Close()
		return errors.Wrapf(err, "write %s", dest)
	}
	return errors.Wrapf(f.Close(), "close %s", dest)
}
