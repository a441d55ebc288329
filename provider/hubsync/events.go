package hubsync

import (
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
)

// Event reasons of a Hub.
const (
	ReasonCreated         event.Reason = "CreatedObject"
	ReasonUpdated         event.Reason = "UpdatedObject"
	ReasonDeleted         event.Reason = "DeletedObject"
	ReasonOrphaned        event.Reason = "OrphanedObject"
	ReasonWriteFailed     event.Reason = "WriteFailed"
	ReasonInvalidRow      event.Reason = "InvalidRow"
	ReasonQueryFailed     event.Reason = "DatabaseQueryFailed"
	ReasonConfigError     event.Reason = "ConfigurationError"
	ReasonDeletionsPaused event.Reason = "DeletionsPaused"
	// ReasonApprovalRejected: a deletion approval that names no held batch was removed.
	ReasonApprovalRejected event.Reason = "DeletionApprovalRejected"
)

// maxEventsPerReason keeps a first sync of 10,000 rows from writing 10,000 events: past this
// many of one reason a single summary event gives the rest as a count.
const maxEventsPerReason = 10

// events batches a sync's events per reason.
type events struct {
	rec    event.Recorder
	obj    runtime.Object
	counts map[event.Reason]int
	order  []event.Reason
	warn   map[event.Reason]bool
}

func newEvents(rec event.Recorder, obj runtime.Object) *events {
	return &events{rec: rec, obj: obj, counts: map[event.Reason]int{}, warn: map[event.Reason]bool{}}
}

func (e *events) normal(r event.Reason, format string, args ...any) {
	if e.bump(r, false) {
		e.rec.Event(e.obj, event.Normal(r, clip(fmt.Sprintf(format, args...), maxMessageLen)))
	}
}

func (e *events) warning(r event.Reason, err error) {
	if e.bump(r, true) {
		e.rec.Event(e.obj, event.Warning(r, errors.New(clip(err.Error(), maxMessageLen))))
	}
}

func (e *events) bump(r event.Reason, warn bool) bool {
	if e.counts[r] == 0 {
		e.order = append(e.order, r)
	}
	e.counts[r]++
	e.warn[r] = e.warn[r] || warn
	return e.counts[r] <= maxEventsPerReason
}

// flush records one summary per reason that went over the limit.
func (e *events) flush() {
	for _, r := range e.order {
		n := e.counts[r] - maxEventsPerReason
		if n <= 0 {
			continue
		}
		msg := fmt.Sprintf("and %d more %s events in this sync", n, r)
		if e.warn[r] {
			e.rec.Event(e.obj, event.Warning(r, fmt.Errorf("%s", msg)))
			continue
		}
		e.rec.Event(e.obj, event.Normal(r, msg))
	}
}
