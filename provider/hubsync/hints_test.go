package hubsync

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/source"
)

type prober struct{}

func (prober) Read(context.Context, source.Query) ([]source.Row, error) { return nil, nil }
func (prober) Probe(context.Context, source.Query) (source.Fingerprint, error) {
	return source.Fingerprint{}, nil
}

// TestHintSpec proves how spec.changeDetection becomes a hint: probing every second by
// default, off with mode None, NOTIFY only on PostgreSQL, and every mistake reported.
func TestHintSpec(t *testing.T) {
	t.Parallel()
	mysql := source.Connection{Engine: source.EngineMySQL}
	pg := source.Connection{Engine: source.EnginePostgres}
	cases := map[string]struct {
		reason     string
		cd         *v1alpha1.ChangeDetection
		conn       source.Connection
		wantEvery  time.Duration
		wantListen bool
		wantNil    bool
		wantErr    string
	}{
		"DefaultProbesEverySecond": {reason: "an unset changeDetection probes every second", conn: mysql, wantEvery: time.Second},
		"ProbeInterval":            {reason: "probeInterval sets the period", cd: &v1alpha1.ChangeDetection{ProbeInterval: "250ms"}, conn: mysql, wantEvery: 250 * time.Millisecond},
		"None":                     {reason: "mode None turns hints off", cd: &v1alpha1.ChangeDetection{Mode: v1alpha1.ChangeNone}, conn: mysql, wantNil: true},
		"NotifyPostgres": {reason: "mode Notify listens on PostgreSQL, probing every second while the listener is down",
			cd: &v1alpha1.ChangeDetection{Mode: v1alpha1.ChangeNotify}, conn: pg, wantListen: true, wantEvery: time.Second},
		"NotifyMySQL": {reason: "mode Notify on MySQL is reported and polls", cd: &v1alpha1.ChangeDetection{Mode: v1alpha1.ChangeNotify}, conn: mysql,
			wantNil: true, wantErr: "needs a ProviderConfig with engine postgres"},
		"UnknownMode": {reason: "a mode stored past the enum is reported, never read as another", cd: &v1alpha1.ChangeDetection{Mode: "Binlog"}, conn: mysql,
			wantNil: true, wantErr: `mode "Binlog"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			hub := &v1alpha1.Hub{Spec: v1alpha1.HubSpec{ChangeDetection: tc.cd}}
			s, err := hintSpec(changeDetection(hub), tc.conn, prober{}, source.Query{Table: "nodes"})
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("%s: error want %q, got %v", tc.reason, tc.wantErr, err)
			}
			if tc.wantNil {
				if s != nil {
					t.Errorf("%s: want no hint, got %+v", tc.reason, s)
				}
				return
			}
			if s == nil {
				t.Fatalf("%s: want a hint, got none", tc.reason)
			}
			if s.Every != tc.wantEvery || (s.Listen != nil) != tc.wantListen {
				t.Errorf("%s: want every %s listen %v, got every %s listen %v", tc.reason, tc.wantEvery, tc.wantListen, s.Every, s.Listen != nil)
			}
		})
	}
}

// TestHintIdentity proves a rotated password or a new interval restarts the hints, and an
// unchanged Hub keeps them.
func TestHintIdentity(t *testing.T) {
	t.Parallel()
	cd := v1alpha1.ChangeDetection{Mode: v1alpha1.ChangeProbe, ProbeInterval: "1s"}
	c := source.Connection{Engine: source.EngineMySQL, Password: "a"}
	q := source.Query{Table: "nodes"}
	base := identity(cd, c, q)
	if identity(cd, c, q) != base {
		t.Errorf("the same Hub must keep its identity")
	}
	rotated := c
	rotated.Password = "b"
	if identity(cd, rotated, q) == base {
		t.Errorf("a rotated password must change the identity")
	}
	cd.ProbeInterval = "2s"
	if identity(cd, c, q) == base {
		t.Errorf("a new probeInterval must change the identity")
	}
}
