package main

import (
	"time"

	"github.com/rowplane/rowplane/fn/internal/server"
	"github.com/rowplane/rowplane/internal/template"
)

// ServeCmd serves the function. It has no way to pin the clock: reproducible renders for
// golden tests use the development build, fn/internal/devserve.
type ServeCmd struct {
	server.Flags `embed:""`
}

// Run serves the function until it is stopped.
func (c *ServeCmd) Run() error {
	return server.Serve(c.Flags, version, template.Options{Now: time.Now})
}
