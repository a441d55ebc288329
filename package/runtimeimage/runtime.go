// Package runtimeimage builds the runtime images of rowplane's two Crossplane packages from
// their static binaries, without Docker and without pulling a base image: a filesystem
// skeleton shaped like distroless/static's nonroot variant (passwd, group, home, /tmp, CA
// roots) plus one layer with the binary. The Dockerfile builds the same images from
// gcr.io/distroless/static-debian12:nonroot; package_test keeps the two in step.
package runtimeimage

import (
	"fmt"
	"path"
	"sort"
)

// Facts shared by both runtime images. The Dockerfile repeats them; a test compares.
const (
	// User is distroless' nonroot user and group. Crossplane's package runtime overrides it
	// with its own runAsUser, but an image run anywhere else must not run as root.
	User = "65532:65532"
	// BinDir holds the binary; the entrypoint is BinDir/<name>.
	BinDir = "/usr/local/bin"
	// WorkingDir is the nonroot user's home, as in distroless.
	WorkingDir = "/home/nonroot"
	// Path is distroless' PATH.
	Path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	// CABundle is where the system roots go, where Go and distroless look for them.
	CABundle = "/etc/ssl/certs/ca-certificates.crt"

	// Source, Licenses and Vendor fill the org.opencontainers.image labels.
	Source   = "https://github.com/rowplane/rowplane"
	Licenses = "Apache-2.0"
	Vendor   = "rowplane"
)

// OCI annotation keys used as image labels.
const (
	LabelTitle       = "org.opencontainers.image.title"
	LabelDescription = "org.opencontainers.image.description"
	LabelSource      = "org.opencontainers.image.source"
	LabelLicenses    = "org.opencontainers.image.licenses"
	LabelVendor      = "org.opencontainers.image.vendor"
	LabelVersion     = "org.opencontainers.image.version"
	LabelRevision    = "org.opencontainers.image.revision"
)

// A Runtime is what one package runs: its binary and what the binary listens on.
type Runtime struct {
	// Name of the binary and of the image, e.g. function-rowplane.
	Name string
	// Description is one sentence for the image's description label.
	Description string
	// Ports the binary listens on by default, as "<port>/tcp".
	Ports []string
}

// Entrypoint is the absolute path of the binary in the image.
func (r Runtime) Entrypoint() string { return path.Join(BinDir, r.Name) }

// Runtimes returns the runtime of each package, keyed by package: "function" and "provider".
func Runtimes() map[string]Runtime {
	return map[string]Runtime{
		"function": {
			Name:        "function-rowplane",
			Description: "Crossplane composition function that renders rowplane Forms into composed resources.",
			// gRPC (Crossplane's package runtime dials 9443) and Prometheus metrics.
			Ports: []string{"8080/tcp", "9443/tcp"},
		},
		"provider": {
			Name:        "provider-rowplane",
			Description: "Crossplane provider that turns the rows of a database table into claims or composite resources.",
			// Prometheus metrics and the health probes, the binary's defaults: off 8080 so
			// it runs beside the function on one machine. In a cluster the install
			// DeploymentRuntimeConfig moves metrics to 8080, the port Crossplane declares.
			Ports: []string{"8081/tcp", "8082/tcp"},
		},
	}
}

// Lookup returns the runtime of the named package.
func Lookup(pkg string) (Runtime, error) {
	all := Runtimes()
	r, ok := all[pkg]
	if !ok {
		known := make([]string, 0, len(all))
		for k := range all {
			known = append(known, k)
		}
		sort.Strings(known)
		return Runtime{}, fmt.Errorf("unknown package %q: want one of %v", pkg, known)
	}
	return r, nil
}
