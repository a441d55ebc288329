package runtimeimage

import (
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/pkg/errors"
)

const (
	nonrootUID = 65532
	passwd     = "root:x:0:0:root:/root:/sbin/nologin\n" +
		"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n" +
		"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"
)

// A Build is everything one runtime image is made of.
type Build struct {
	Runtime  Runtime
	Platform v1.Platform
	// Binary is the static (CGO off) executable for Platform.
	Binary []byte
	// CABundle holds PEM root certificates for CABundle; empty leaves them out.
	CABundle []byte
	// Version and Revision (the git commit) are stamped into the labels.
	Version  string
	Revision string
	// Created is the image's creation time and every file's mtime; use the commit time for
	// reproducible images.
	Created time.Time
}

// Image builds the runtime image: a nonroot filesystem skeleton layer and a binary layer on
// an empty base, with the config the Dockerfile's final stages produce.
func Image(b Build) (v1.Image, error) {
	if len(b.Binary) == 0 {
		return nil, errors.Errorf("%s: no binary", b.Runtime.Name)
	}
	base, err := layer(b.Created, skeleton(b.CABundle)...)
	if err != nil {
		return nil, errors.Wrap(err, "skeleton layer")
	}
	bin := []entry{}
	for _, d := range parents(b.Runtime.Entrypoint()) {
		bin = append(bin, dir(d, 0o755, 0, 0))
	}
	bin = append(bin, file(b.Runtime.Entrypoint(), 0o755, b.Binary))
	binLayer, err := layer(b.Created, bin...)
	if err != nil {
		return nil, errors.Wrapf(err, "binary layer %s", b.Runtime.Entrypoint())
	}

	img, err := mutate.Append(empty.Image,
		mutate.Addendum{Layer: base, History: v1.History{
			Created: v1.Time{Time: b.Created}, CreatedBy: "rowplane: nonroot filesystem skeleton (passwd, group, home, tmp, CA roots)"}},
		mutate.Addendum{Layer: binLayer, History: v1.History{
			Created: v1.Time{Time: b.Created}, CreatedBy: fmt.Sprintf("rowplane: COPY %s", b.Runtime.Entrypoint())}},
	)
	if err != nil {
		return nil, errors.Wrap(err, "append layers")
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, errors.Wrap(err, "read config")
	}
	cf = cf.DeepCopy()
	cf.Architecture = b.Platform.Architecture
	cf.OS = b.Platform.OS
	cf.Variant = b.Platform.Variant
	cf.Created = v1.Time{Time: b.Created}
	cf.Author = Vendor
	cf.Config = Config(b.Runtime, b.Version, b.Revision, len(b.CABundle) > 0)
	img, err = mutate.ConfigFile(img, cf)
	return img, errors.Wrap(err, "set config")
}

// Config is the runtime config of an image: who runs what, listening where, labelled how.
func Config(r Runtime, version, revision string, caBundle bool) v1.Config {
	env := []string{"PATH=" + Path}
	if caBundle {
		env = append(env, "SSL_CERT_FILE="+CABundle)
	}
	ports := make(map[string]struct{}, len(r.Ports))
	for _, p := range r.Ports {
		ports[p] = struct{}{}
	}
	return v1.Config{
		User:         User,
		Entrypoint:   []string{r.Entrypoint()},
		Env:          env,
		WorkingDir:   WorkingDir,
		ExposedPorts: ports,
		Labels: map[string]string{
			LabelTitle:       r.Name,
			LabelDescription: r.Description,
			LabelSource:      Source,
			LabelLicenses:    Licenses,
			LabelVendor:      Vendor,
			LabelVersion:     version,
			LabelRevision:    revision,
		},
	}
}

// skeleton is the part of distroless/static:nonroot a static Go binary needs: a named
// nonroot user with a home, a writable /tmp, and the system roots when given.
func skeleton(ca []byte) []entry {
	es := []entry{
		dir("/etc", 0o755, 0, 0),
		file("/etc/passwd", 0o644, []byte(passwd)),
		file("/etc/group", 0o644, []byte(group)),
	}
	if len(ca) > 0 {
		es = append(es,
			dir("/etc/ssl", 0o755, 0, 0),
			dir("/etc/ssl/certs", 0o755, 0, 0),
			file(CABundle, 0o644, ca))
	}
	return append(es,
		dir("/home", 0o755, 0, 0),
		dir(WorkingDir, 0o700, nonrootUID, nonrootUID),
		dir("/tmp", 0o1777, 0, 0),
	)
}
