package hubsync

import (
	"context"
	"errors"
	"fmt"
	"time"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/metrics"
	"github.com/rowplane/rowplane/provider/source"
)

// Stages at which a sync can stop without changing anything.
const (
	stageConfig = "config"
	stageSchema = "schema"
	stageQuery  = "query"
	stageList   = "list"
	stageWrite  = "write"
)

// sync reads the table and converges the Hub's objects. Until the table was read and every
// target listed without error it writes no object at all; that ordering is the guarantee that a
// database or API hiccup never deletes a tenant. It returns the stage it stopped at, and the
// earliest expiry still ahead among the active rows (zero when none) so the Hub can sync again
// when that row expires.
func (r *Reconciler) sync(ctx context.Context, log logging.Logger, hub *v1alpha1.Hub) (string, time.Time, error) {
	ev := newEvents(r.record, hub)
	defer ev.flush()

	if err := validate(hub); err != nil {
		ev.warning(ReasonConfigError, err)
		return stageConfig, time.Time{}, err
	}
	// Targets are checked before anything else, so a Hub aimed at a kind it may not write
	// (anything but a claim or composite kind) never even reads its credentials.
	targets, err := resolveTargets(ctx, r.kinds, hub)
	if err != nil {
		ev.warning(ReasonConfigError, err)
		return stageSchema, time.Time{}, err
	}
	if err := r.usage.Track(ctx, usageOf(hub)); err != nil {
		ev.warning(ReasonConfigError, err)
		return stageConfig, time.Time{}, err
	}
	owner, conn, err := connection(ctx, r.reader, hub)
	if err != nil {
		ev.warning(ReasonConfigError, err)
		return stageConfig, time.Time{}, err
	}
	// Sources keep the Secret's values (the server quotes the username) out of their errors.
	q := source.Query{Table: hub.Spec.Table, Columns: columns(hub), Timeout: conn.Timeout}
	src, err := r.sources.Open(owner, conn)
	var rows []source.Row
	if err == nil {
		rows, err = src.Read(ctx, q)
	}
	if err != nil {
		err = fmt.Errorf("read table %s: %w; nothing was created, updated or deleted", hub.Spec.Table, err)
		ev.warning(ReasonQueryFailed, err)
		return stageQuery, time.Time{}, err
	}
	// Hints start only once the source has answered, and only make the next sync sooner.
	r.hint(hub, conn, src, q, ev)
	// Expiry is judged at one instant per sync, taken after the read so no row is judged on
	// a time earlier than its data.
	rs := buildRowSet(hub, targets, rows, r.render, r.now())
	obs := make([]map[string]observed, len(targets))
	for i, t := range targets {
		if obs[i], err = observe(ctx, r.reader, hub, t); err != nil {
			ev.warning(ReasonConfigError, err)
			return stageList, time.Time{}, err
		}
	}
	p := diff(rs, obs)
	invalid := append(rs.invalid, p.conflicts...)
	for _, ir := range invalid {
		ev.warning(ReasonInvalidRow, fmt.Errorf("row %s: %s", ir.Key, ir.Reason))
	}

	failed := r.applyAll(ctx, log, hub, p.apply, obs, ev)
	pending, delErr := r.deleteGuarded(ctx, hub, p, rs, ev)

	st := &hub.Status
	st.Rows, st.ActiveRows, st.InvalidRows = int64(rs.rows), int64(rs.active), int64(len(invalid))
	st.ExpiredRows = int64(rs.expired)
	st.InvalidRowSamples = samples(invalid)
	st.Desired, st.Ready, st.Failed = int64(p.desired), int64(p.ready), int64(p.failed+failed)
	st.PendingDeletions = int64(pending)
	st.LastSyncTime = &metav1.Time{Time: r.now()}
	hub.SetConditions(readyCondition(st))
	r.metrics.ClaimsSet(hub.Namespace, hub.Name, map[string]int{
		metrics.ClaimsDesired: p.desired, metrics.ClaimsReady: p.ready, metrics.ClaimsFailed: p.failed + failed,
	})
	r.metrics.RowsSet(hub.Namespace, hub.Name, map[string]int{
		metrics.RowsTotal: rs.rows, metrics.RowsActive: rs.active,
		metrics.RowsInvalid: len(invalid), metrics.RowsInactive: rs.rows - rs.active,
		metrics.RowsExpired: rs.expired,
	})
	if delErr != nil {
		return stageWrite, rs.nextExpiry, delErr
	}
	if failed > 0 {
		return stageWrite, rs.nextExpiry, fmt.Errorf("%d of %d writes failed; see events", failed, len(p.apply))
	}
	return "", rs.nextExpiry, nil
}

// applyAll server-side applies new and changed objects, one at a time so one rejected object
// (e.g. by the API server's validation) fails only its row. It returns the number of failures.
func (r *Reconciler) applyAll(ctx context.Context, log logging.Logger, hub *v1alpha1.Hub, ds []desired, obs []map[string]observed, ev *events) int {
	failed := 0
	for _, d := range ds {
		_, exists := obs[d.target][d.name]
		op, reason := metrics.OpCreate, ReasonCreated
		if exists {
			op, reason = metrics.OpUpdate, ReasonUpdated
		}
		err := r.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(d.obj), client.FieldOwner(FieldManager), client.ForceOwnership)
		r.metrics.Write(hub.Namespace, hub.Name, op, err)
		if err != nil {
			failed++
			ev.warning(ReasonWriteFailed, fmt.Errorf("row %s: %s %s %q: %w", d.uid, op, d.obj.GetKind(), d.name, err))
			log.Debug("write failed", "uid", clip(d.uid, maxKeyLen), "kind", d.obj.GetKind(), "name", d.name, "error", clip(err.Error(), maxMessageLen))
			continue
		}
		ev.normal(reason, "row %s: %sd %s %q", d.uid, op, d.obj.GetKind(), d.name)
	}
	return failed
}

// deleteGuarded deletes the objects of gone, inactive or expired rows when the guards allow it,
// and sets the DeletionsPaused condition. It returns how many deletions are held back. Expired
// rows count as inactive here, so expiry never deletes past a guard.
func (r *Reconciler) deleteGuarded(ctx context.Context, hub *v1alpha1.Hub, p plan, rs rowSet, ev *events) (int, error) {
	in := guardInput(hub, p.deletes)
	in.ActiveRows, in.ValidRows, in.Existing = rs.active, p.validRows, p.existing
	g, err := r.guard(ctx, hub, in, ev)
	if err != nil || !g.Allow {
		return len(p.deletes), err
	}
	var errs []error
	for _, o := range p.deletes {
		err := r.deleteObject(ctx, hub, o)
		r.metrics.Write(hub.Namespace, hub.Name, metrics.OpDelete, err)
		if err != nil {
			errs = append(errs, err)
			ev.warning(ReasonWriteFailed, err)
			continue
		}
		if at, ok := rs.expiredAt[o.uid]; ok {
			ev.normal(ReasonDeleted, "row %s expired at %s: deleted %q", o.uid, at.Format(time.RFC3339), o.name)
			continue
		}
		ev.normal(ReasonDeleted, "row %s is gone or inactive: deleted %q", o.uid, o.name)
	}
	if g.UsedApproval {
		// Used is used, even when some deletions failed: what is left is a new batch.
		errs = append(errs, r.removeApproval(ctx, hub, in.Approval))
	}
	return 0, errors.Join(errs...)
}

func (r *Reconciler) deleteObject(ctx context.Context, hub *v1alpha1.Hub, o observed) error {
	u := objectRef(hub, o)
	// The UID precondition makes sure we delete the object we looked at, not a namesake.
	err := r.client.Delete(ctx, u, client.PropagationPolicy(metav1.DeletePropagationBackground),
		client.Preconditions{UID: &o.kuid})
	if err != nil && !kerrors.IsNotFound(err) {
		return fmt.Errorf("row %s: delete %s %q: %w", o.uid, u.GetKind(), o.name, err)
	}
	return nil
}

func readyCondition(st *v1alpha1.HubStatus) xpv2.Condition {
	msg := fmt.Sprintf("%d of %d objects ready, %d failed, %d invalid rows", st.Ready, st.Desired, st.Failed, st.InvalidRows)
	if st.Ready == st.Desired && st.Failed == 0 {
		return xpv2.Available().WithMessage(msg)
	}
	return xpv2.Creating().WithMessage(msg)
}

func durationPtr(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }
