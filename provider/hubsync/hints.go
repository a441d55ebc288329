package hubsync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/hint"
	"github.com/rowplane/rowplane/provider/source"
)

const defaultProbeInterval = time.Second

// A Hinter runs the change hints of every Hub; hint.Watchers is one.
type Hinter interface {
	Ensure(hub types.NamespacedName, s hint.Spec)
	Stop(hub types.NamespacedName)
}

// WithHints makes the reconciler start a Hub's change hints after each good read.
func WithHints(h Hinter) Option { return func(r *Reconciler) { r.hints = h } }

func (r *Reconciler) stopHints(hub types.NamespacedName) {
	if r.hints != nil {
		r.hints.Stop(hub)
	}
}

// changeDetection is the Hub's spec.changeDetection with its defaults applied.
func changeDetection(hub *v1alpha1.Hub) v1alpha1.ChangeDetection {
	cd := v1alpha1.ChangeDetection{Mode: v1alpha1.ChangeProbe, ProbeInterval: defaultProbeInterval.String(), Channel: v1alpha1.DefaultNotifyChannel}
	if s := hub.Spec.ChangeDetection; s != nil {
		if s.Mode != "" {
			cd.Mode = s.Mode
		}
		if s.ProbeInterval != "" {
			cd.ProbeInterval = s.ProbeInterval
		}
		if s.Channel != "" {
			cd.Channel = s.Channel
		}
	}
	return cd
}

// hint starts, restarts or stops the Hub's change hints after a good read of src. A hint it
// cannot run is reported and leaves the Hub polling; it never fails the sync.
func (r *Reconciler) hint(hub *v1alpha1.Hub, conn source.Connection, src source.Source, q source.Query, ev *events) {
	if r.hints == nil {
		return
	}
	key := types.NamespacedName{Namespace: hub.Namespace, Name: hub.Name}
	s, err := hintSpec(changeDetection(hub), conn, src, q)
	if err != nil {
		ev.warning(ReasonConfigError, fmt.Errorf("spec.changeDetection: %w; syncing every syncInterval only", err))
	}
	if s == nil {
		r.hints.Stop(key)
		return
	}
	r.hints.Ensure(key, *s)
}

// hintSpec is the hint.Spec of cd, or nil when the Hub only polls.
func hintSpec(cd v1alpha1.ChangeDetection, conn source.Connection, src source.Source, q source.Query) (*hint.Spec, error) {
	s := &hint.Spec{Identity: identity(cd, conn, q), Query: q}
	switch cd.Mode {
	case v1alpha1.ChangeNone:
		return nil, nil
	case v1alpha1.ChangeNotify:
		if conn.Engine != source.EnginePostgres {
			return nil, fmt.Errorf("mode %s needs a ProviderConfig with engine %s", cd.Mode, source.EnginePostgres)
		}
		s.Listen = func(ctx context.Context, hinted func(), lost func(error)) error {
			return source.Listen(ctx, conn, cd.Channel, hinted, lost)
		}
		// While the listener is down, the probe stands in for it.
		if p, ok := src.(source.Prober); ok {
			if every, err := time.ParseDuration(cd.ProbeInterval); err == nil && every > 0 {
				s.Prober, s.Every = p, every
			}
		}
		return s, nil
	case v1alpha1.ChangeProbe:
		p, ok := src.(source.Prober)
		if !ok {
			return nil, fmt.Errorf("the %s source cannot probe", conn.Engine)
		}
		every, err := time.ParseDuration(cd.ProbeInterval)
		if err != nil || every <= 0 {
			return nil, fmt.Errorf("probeInterval %q is not a positive duration", cd.ProbeInterval)
		}
		s.Prober, s.Every = p, every
		return s, nil
	default:
		return nil, fmt.Errorf("mode %q is not one of %s (the default), %s, %s", cd.Mode, v1alpha1.ChangeProbe, v1alpha1.ChangeNotify, v1alpha1.ChangeNone)
	}
}

// identity digests everything a running hint depends on, the credentials included, without
// keeping them.
func identity(cd v1alpha1.ChangeDetection, conn source.Connection, q source.Query) string {
	b, _ := json.Marshal(struct { //nolint:errchkjson // plain structs, cannot fail.
		CD   v1alpha1.ChangeDetection
		Conn source.Connection
		Q    source.Query
	}{cd, conn, q})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
