// Command image builds the runtime image of one rowplane package for one platform as an image
// tarball (the format `crossplane xpkg build --embed-runtime-image-tarball` reads), from a
// static binary and without Docker or a registry. `make images` runs it once per package and
// platform.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/package/runtimeimage"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		pkg      = flag.String("package", "", "package whose runtime to build: function or provider")
		binary   = flag.String("binary", "", "static binary built for -platform")
		platform = flag.String("platform", "linux/amd64", "os/arch[/variant] of the binary")
		version  = flag.String("version", "", "version label, e.g. v0.1.0 or v0.0.0-<sha>")
		revision = flag.String("revision", "", "git commit label")
		created  = flag.Int64("created", 0, "creation time and file mtime as Unix seconds (the commit time, for reproducible images)")
		caBundle = flag.String("ca-bundle", "", "PEM system roots to add at "+runtimeimage.CABundle+"; empty adds none")
		out      = flag.String("out", "", "image tarball to write")
	)
	flag.Parse()
	if *pkg == "" || *binary == "" || *out == "" || *version == "" {
		flag.Usage()
		return errors.New("-package, -binary, -version and -out are required")
	}
	rt, err := runtimeimage.Lookup(*pkg)
	if err != nil {
		return err
	}
	p, err := v1.ParsePlatform(*platform)
	if err != nil {
		return errors.Wrapf(err, "-platform %q", *platform)
	}
	b := runtimeimage.Build{Runtime: rt, Platform: *p, Version: *version, Revision: *revision,
		Created: time.Unix(*created, 0).UTC()}
	if b.Binary, err = os.ReadFile(*binary); err != nil {
		return errors.Wrap(err, "read -binary")
	}
	if *caBundle != "" {
		// A missing bundle is an error, not a silent image without roots.
		if b.CABundle, err = os.ReadFile(*caBundle); err != nil {
			return errors.Wrap(err, "read -ca-bundle (install Debian's ca-certificates, or pass an empty -ca-bundle)")
		}
	}
	img, err := runtimeimage.Image(b)
	if err != nil {
		return err
	}
	// The tag only names the image inside the tarball; nothing is pushed under it.
	tag, err := name.NewTag(fmt.Sprintf("rowplane.local/%s:%s-%s", rt.Name, *version, p.Architecture))
	if err != nil {
		return errors.Wrap(err, "image tag")
	}
	if err := tarball.WriteToFile(*out, tag, img); err != nil {
		return errors.Wrapf(err, "write %s", *out)
	}
	d, err := img.Digest()
	if err != nil {
		return errors.Wrap(err, "image digest")
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return errors.Wrapf(err, "stat %s", *out)
	}
	fmt.Printf("%s %s %s %s bytes\n", *out, p, d, strconv.FormatInt(fi.Size(), 10))
	return nil
}
