package source

import (
	"context"
	"fmt"

	"github.com/rowplane/rowplane/provider/source/postgres"
)

// Listen LISTENs on channel over a dedicated connection for c until ctx is done, calling hinted
// for every notification and after every (re)connect, when a notification may have been lost,
// and lost with the error of every dropped or failed connection. Only PostgreSQL notifies.
func Listen(ctx context.Context, c Connection, channel string, hinted func(), lost func(error)) error {
	if c.Engine != EnginePostgres {
		return fmt.Errorf("engine %q has no notifications; only %s does", c.Engine, EnginePostgres)
	}
	l := &postgres.Listener{Connection: postgresConnection(c), Channel: channel,
		Hinted: func(postgres.Hint) { hinted() }, Lost: lost}
	return l.Run(ctx)
}
