// Command devserve is function-rowplane for reproducible renders: the same serve command with
// --fixed-time, which pins the templates' clock and random source. The render goldens and
// `make render` build and run it; it is not part of the function package, so the production
// server has no flag that makes its output predictable.
package main

import (
	"time"

	"github.com/alecthomas/kong"
	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/fn/internal/server"
	"github.com/rowplane/rowplane/internal/template"
)

type serveCmd struct {
	server.Flags `embed:""`
	FixedTime    string `required:"" help:"Render 'now' as this RFC 3339 time and draw random values from a fixed seed."`
}

func (c *serveCmd) Run() error {
	t, err := time.Parse(time.RFC3339, c.FixedTime)
	if err != nil {
		return errors.Wrap(err, "--fixed-time must be an RFC 3339 time")
	}
	return server.Serve(c.Flags, "dev", template.Pinned(t))
}

func main() {
	var cli struct {
		Serve serveCmd `cmd:"" default:"1" help:"Serve the function over gRPC with a fixed clock."`
	}
	ctx := kong.Parse(&cli,
		kong.Name("function-rowplane-dev"),
		kong.Description("function-rowplane with a fixed clock, for golden renders. Never deploy it."),
		kong.UsageOnError())
	ctx.FatalIfErrorf(ctx.Run())
}
