package hubsync

import (
	"fmt"
	"sort"

	"github.com/rowplane/rowplane/apis/v1alpha1"
)

// A plan is what one sync does, decided before any write.
type plan struct {
	// apply are new or changed objects.
	apply []desired
	// unchanged objects need no write.
	unchanged int
	// deletes are the Hub's objects whose row is gone or inactive, before the guards.
	deletes []observed
	// conflicts are rows whose object name is taken by an object the Hub does not own.
	conflicts []v1alpha1.InvalidRow
	// existing counts the Hub's objects that are not being deleted.
	existing int
	// desired, ready and failed count the objects the rows ask for.
	desired, ready, failed int
	// validRows counts the uids that ask for at least one object.
	validRows int
}

// diff compares what the rows ask for with what exists, target by target.
func diff(rs rowSet, obs []map[string]observed) plan {
	var p plan
	protected := map[string]bool{}
	for uid := range rs.protected {
		protected[uid] = true
	}
	wanted := make([]map[string]bool, len(obs))
	for i := range wanted {
		wanted[i] = map[string]bool{}
	}
	for _, d := range rs.desired {
		o, exists := obs[d.target][d.name]
		if exists && !o.ours {
			protected[d.uid] = true
			p.conflicts = append(p.conflicts, v1alpha1.InvalidRow{Key: d.uid, Reason: fmt.Sprintf(
				"%s %q already exists and is not managed by this Hub", d.obj.GetKind(), d.name)})
			continue
		}
		wanted[d.target][d.name] = true
		p.desired++
		switch {
		case !exists:
			p.apply = append(p.apply, d)
		case o.deleting:
			// Being deleted: let it go, the next sync recreates it.
		case o.hash != d.hash:
			p.apply = append(p.apply, d)
		default:
			p.unchanged++
		}
		if exists && o.ready {
			p.ready++
		}
		if exists && o.failed {
			p.failed++
		}
	}
	valid := map[string]bool{}
	for _, d := range rs.desired {
		if !protected[d.uid] {
			valid[d.uid] = true
		}
	}
	p.validRows = len(valid)
	for ti, m := range obs {
		for name, o := range m {
			if !o.ours || o.deleting {
				continue
			}
			p.existing++
			if !wanted[ti][name] && !protected[o.uid] {
				p.deletes = append(p.deletes, o)
			}
		}
	}
	sort.Slice(p.deletes, func(i, j int) bool {
		if p.deletes[i].target != p.deletes[j].target {
			return p.deletes[i].target < p.deletes[j].target
		}
		return p.deletes[i].name < p.deletes[j].name
	})
	return p
}
