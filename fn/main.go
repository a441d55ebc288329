// Command function-rowplane is a Crossplane composition function that renders rowplane Forms
// (the LynqForm model) into composed resources.
package main

import (
	"github.com/alecthomas/kong"
)

// version is set at build time.
var version = "dev"

// CLI is function-rowplane's command line.
type CLI struct {
	Serve    ServeCmd         `cmd:"" default:"1" help:"Serve the function over gRPC (the default)."`
	Simulate SimulateCmd      `cmd:"" help:"Print a tenant's rollout step by step, offline, with every resource made ready between reconciles."`
	Graph    GraphCmd         `cmd:"" help:"Print the dependency graph of a Composition's Form steps as Mermaid or Graphviz dot."`
	Version  kong.VersionFlag `help:"Print the version and exit."`
}

func main() {
	cli := &CLI{}
	ctx := kong.Parse(cli,
		kong.Name("function-rowplane"),
		kong.Description("Render rowplane Forms into composed resources."),
		kong.Vars{"version": version},
		kong.UsageOnError())
	ctx.FatalIfErrorf(ctx.Run())
}
