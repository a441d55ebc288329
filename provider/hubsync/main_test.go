package hubsync_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

// env is the one envtest API server of this package's integration tests, or the reason there
// is none. It is set once by TestMain and only read afterwards.
var env struct {
	cfg     *rest.Config
	missing string
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	for _, b := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(assets, b)); assets == "" || err != nil {
			env.missing = fmt.Sprintf("envtest binaries not found in KUBEBUILDER_ASSETS=%q (run `make tools`, or `make test` which sets it)", assets)
			return m.Run()
		}
	}
	te := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "package", "provider", "crds"), "testdata"},
		ErrorIfCRDPathMissing: true,
		BinaryAssetsDirectory: assets,
	}
	cfg, err := te.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "start envtest: %v\n", err)
		return 1
	}
	defer func() { _ = te.Stop() }()
	if err := installXRDs(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "install XRDs: %v\n", err)
		return 1
	}
	env.cfg = cfg
	return m.Run()
}

// needAPIServer skips (or, under CI=true, fails) a test when envtest is not available.
func needAPIServer(t testing.TB) *rest.Config {
	t.Helper()
	if env.cfg == nil {
		mysqltest.Unavailable(t, "%s", env.missing)
	}
	return env.cfg
}
