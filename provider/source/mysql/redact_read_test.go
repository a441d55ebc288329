package mysql_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rowplane/rowplane/provider/source/mysql"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

// TestPoolReadRedactsLogin logs in to MariaDB as users it refuses: its message quotes the
// username, which Pool.Read must not pass on.
func TestPoolReadRedactsLogin(t *testing.T) {
	t.Parallel()
	d := mysqltest.New(t)
	d.Exec(t, `CREATE TABLE nodes (node_id VARCHAR(63))`)
	user, pass := d.NewUser(t)
	cases := map[string]struct {
		reason     string
		user, pass string
	}{
		"UnknownUser":   {reason: "a user the server does not know", user: "rp_unknown_" + d.Name[len(d.Name)-6:], pass: "pw-" + d.Name},
		"WrongPassword": {reason: "a known user with a wrong password", user: user, pass: pass + "-wrong"},
	}
	pool := mysql.NewPool()
	t.Cleanup(pool.Close)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := mysql.Connection{Host: d.Host, Port: d.Port, User: tc.user, Password: tc.pass, Database: d.Name,
				TLS: mysql.TLS{Mode: mysql.ModeDisabled}, Timeout: 5 * time.Second}
			_, err := pool.Read(context.Background(), name, c, mysql.Query{Table: "nodes", Columns: []string{"node_id"}})
			if err == nil {
				t.Fatalf("%s: want a login error", tc.reason)
			}
			if strings.Contains(err.Error(), tc.user) || strings.Contains(err.Error(), tc.pass) {
				t.Errorf("%s: the error quotes a credential: %v", tc.reason, err)
			}
			if !strings.HasPrefix(err.Error(), "ping: ") {
				t.Errorf("%s: want our ping context kept, got %v", tc.reason, err)
			}
		})
	}
}
