package runtimeimage

import (
	"archive/tar"
	"bytes"
	"io"
	"path"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/pkg/errors"
)

// An entry is one file or directory of a layer.
type entry struct {
	path string // absolute, e.g. /etc/passwd; a trailing slash marks a directory
	mode int64
	uid  int
	gid  int
	data []byte
}

func dir(p string, mode int64, uid, gid int) entry {
	return entry{path: strings.TrimSuffix(p, "/") + "/", mode: mode, uid: uid, gid: gid}
}

func file(p string, mode int64, data []byte) entry {
	return entry{path: p, mode: mode, data: data}
}

// layer writes entries into a tar layer with fixed owners and times, so the same inputs
// always give the same digest: a rebuild of an unchanged commit is a no-op for a registry.
func layer(mtime time.Time, entries ...entry) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		// Layer paths are relative to the root, like docker build writes them.
		name := strings.TrimPrefix(e.path, "/")
		hdr := &tar.Header{
			Name:    name,
			Mode:    e.mode,
			Uid:     e.uid,
			Gid:     e.gid,
			ModTime: mtime,
			Format:  tar.FormatPAX,
		}
		if strings.HasSuffix(e.path, "/") {
			hdr.Typeflag = tar.TypeDir
		} else {
			hdr.Typeflag = tar.TypeReg
			hdr.Size = int64(len(e.data))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, errors.Wrapf(err, "layer entry %s: write header", e.path)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, errors.Wrapf(err, "layer entry %s: write content", e.path)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, errors.Wrap(err, "close layer")
	}
	b := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	})
	return l, errors.Wrap(err, "compress layer")
}

// parents returns the directories above p, outermost first, e.g. /usr, /usr/local for
// /usr/local/bin.
func parents(p string) []string {
	var out []string
	for d := path.Dir(p); d != "/" && d != "."; d = path.Dir(d) {
		out = append([]string{d}, out...)
	}
	return out
}
