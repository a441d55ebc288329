// Command render renders an example's cases with the real crossplane CLI against a freshly
// built function-rowplane: `make render EXAMPLE=<name> [CASE=<case>]`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rowplane/rowplane/internal/devstack/crossplanerender"
)

func main() {
	crossplane := flag.String("crossplane", "crossplane", "path of the crossplane CLI (v2.2.1)")
	example := flag.String("example", "", "example folder, e.g. examples/database-per-node")
	only := flag.String("case", "", "render only this case (a folder under render/)")
	flag.Parse()
	if err := run(*crossplane, *example, *only); err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
}

func run(crossplane, example, only string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cases, err := crossplanerender.Cases(example)
	if err != nil {
		return err
	}
	if len(cases) == 0 {
		// An example without cases renders its own XR with nothing observed.
		cases = []crossplanerender.Case{{Name: "xr", XR: filepath.Join(example, "xr.yaml"),
			Composition: filepath.Join(example, "composition.yaml"), Functions: filepath.Join(example, "functions.yaml")}}
	}
	tmp, err := os.MkdirTemp("", "rowplane-render-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintln(os.Stderr, "building function-rowplane ...")
	bin, err := crossplanerender.BuildFunction(ctx, ".", tmp)
	if err != nil {
		return err
	}
	fn, err := crossplanerender.StartFunction(ctx, bin)
	if err != nil {
		return err
	}
	defer fn.Stop()
	found := false
	for _, c := range cases {
		if only != "" && c.Name != only {
			continue
		}
		found = true
		out, err := crossplanerender.Render(ctx, crossplane, fn.Addr, c)
		if err != nil {
			return err
		}
		fmt.Printf("# ---- %s: %s\n%s", example, c.Name, out)
	}
	if !found {
		return fmt.Errorf("no case %q in %s/render", only, example)
	}
	return nil
}
