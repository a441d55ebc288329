package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/rowplane/rowplane/internal/devstack/stack"
)

// heading prints a step's title and the SQL it runs.
func (d *demo) heading(title string, sql ...string) {
	fmt.Fprintf(d.out, "\n── %s %s\n", title, strings.Repeat("─", max(0, 72-len([]rune(title)))))
	for _, q := range sql {
		fmt.Fprintf(d.out, "  sql> %s\n", q)
	}
}

// insert adds three tenants with different plans and waits until their claims are Ready, each
// Deployment created only after its RDS instance was Ready.
func (d *demo) insert() error {
	const step = "1. INSERT three tenants"
	q := "INSERT INTO nodes VALUES ('acme-corp', TRUE, 'db.t3.small', 50, TRUE, 'pro'), " +
		"('globex', TRUE, 'db.t3.micro', 20, FALSE, 'basic'), ('initech', TRUE, 'db.m5.large', 100, TRUE, 'enterprise')"
	d.heading(step, q)
	start := time.Now()
	if err := d.table.exec(d.ctx, q); err != nil {
		return errors.Wrap(err, step)
	}
	for _, uid := range tenants {
		d.active[uid] = true
	}
	var claimsAt time.Duration
	rdsReady := map[string]bool{}
	var order error
	err := d.watch(step, func(s snapshot) error {
		claims := 0
		for _, uid := range tenants {
			t := s[uid]
			if t.Claim != nil {
				claims++
			}
			if stack.ConditionIs(t.RDS, "Ready", "True") {
				rdsReady[uid] = true
			}
			// The Deployment is read before the RDS instance: an app seen with an instance
			// never Ready means the Form's order was broken.
			if t.App != nil && !rdsReady[uid] && order == nil {
				order = errors.Errorf("%s: Deployment created before its RDS instance was Ready", uid)
			}
		}
		if claims == len(tenants) && claimsAt == 0 {
			claimsAt = time.Since(start)
		}
		if order != nil {
			return nil // stop watching; reported below.
		}
		return allReady(tenants...)(s)
	})
	if order != nil {
		return errors.Wrap(order, step)
	}
	if err != nil {
		return err
	}
	d.timings.add("INSERT 3 rows → 3 claims", claimsAt)
	d.timings.add("INSERT 3 rows → 3 claims Ready (RDS, then Deployment)", time.Since(start))
	fmt.Fprintf(d.out, "  ✓ three claims Ready; each Deployment was created only after its RDS instance was Ready (dependIds)\n")
	return nil
}

// updatePlan moves globex to the enterprise plan and waits for its Deployment to run 2 replicas.
func (d *demo) updatePlan() error {
	const step = "2a. UPDATE globex plan_type → enterprise"
	q := "UPDATE nodes SET plan_type = 'enterprise' WHERE node_id = 'globex'"
	d.heading(step, q)
	start := time.Now()
	if err := d.table.exec(d.ctx, q); err != nil {
		return errors.Wrap(err, step)
	}
	err := d.watch(step, func(s snapshot) error {
		app := s["globex"].App
		if app == nil {
			return errors.New("globex has no Deployment")
		}
		want, _, _ := unstructured.NestedInt64(app.Object, "spec", "replicas")
		got, _, _ := unstructured.NestedInt64(app.Object, "status", "availableReplicas")
		if want != 2 || got != 2 {
			return errors.Errorf("globex Deployment: %d/%d replicas available, want 2/2", got, want)
		}
		return allReady(tenants...)(s)
	})
	if err != nil {
		return err
	}
	d.timings.add("UPDATE plan_type → Deployment at 2 replicas", time.Since(start))
	fmt.Fprintf(d.out, "  ✓ globex's Deployment re-rendered: 2 replicas, PLAN_TYPE=enterprise\n")
	return nil
}

// onceHold is how long the demo watches a Once resource after its input changed.
const onceHold = 5 * time.Second

// updateClass changes globex's instance class: the claim and XR follow, the RDS instance
// (creationPolicy: Once) does not.
func (d *demo) updateClass() error {
	const step = "2b. UPDATE globex db_instance_class → db.r5.large"
	q := "UPDATE nodes SET db_instance_class = 'db.r5.large' WHERE node_id = 'globex'"
	d.heading(step, q)
	s, err := d.read()
	if err != nil || s["globex"].RDS == nil {
		return errors.Errorf("%s: read globex's RDS instance before the update: %v", step, err)
	}
	before := s["globex"].RDS
	start := time.Now()
	if err := d.table.exec(d.ctx, q); err != nil {
		return errors.Wrap(err, step)
	}
	err = d.watch(step, func(s snapshot) error {
		xr := s["globex"].XR
		if got := specOf(xr, "dbInstanceClass"); got != "db.r5.large" {
			return errors.Errorf("globex XR dbInstanceClass %q, want db.r5.large", got)
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.timings.add("UPDATE db_instance_class → XR updated", time.Since(start))
	fmt.Fprintf(d.out, "  claim and XR say db.r5.large; watching the RDS instance for %s ...\n", onceHold)
	select {
	case <-d.ctx.Done():
		return errors.Wrapf(d.ctx.Err(), "%s: interrupted", step)
	case <-time.After(onceHold):
	}
	if s, err = d.read(); err != nil {
		return errors.Wrap(err, step)
	}
	after := s["globex"].RDS
	if after == nil {
		return errors.Errorf("%s: globex's RDS instance is gone", step)
	}
	class, _, _ := unstructured.NestedString(after.Object, "spec", "forProvider", "dbInstanceClass")
	if class != "db.t3.micro" || after.GetGeneration() != before.GetGeneration() {
		return errors.Errorf("%s: the RDS instance changed: dbInstanceClass %q (want db.t3.micro), generation %d → %d",
			step, class, before.GetGeneration(), after.GetGeneration())
	}
	fmt.Fprint(d.out, d.frame(s))
	fmt.Fprintf(d.out, "  ✓ RDS instance globex-postgres unchanged: still db.t3.micro, generation %d (creationPolicy: Once)\n", after.GetGeneration())
	return nil
}

// deactivate turns initech's row off: its claim, XR, Namespace and Deployment go, its RDS
// instance object goes too but orphaned, so the cloud database is kept.
func (d *demo) deactivate() error {
	const step = "3. UPDATE initech is_active → FALSE"
	q := "UPDATE nodes SET is_active = FALSE WHERE node_id = 'initech'"
	d.heading(step, q)
	start := time.Now()
	if err := d.table.exec(d.ctx, q); err != nil {
		return errors.Wrap(err, step)
	}
	d.active["initech"] = false
	var claimGone time.Duration
	err := d.watch(step, func(s snapshot) error {
		if s["initech"].Claim == nil && claimGone == 0 {
			claimGone = time.Since(start)
		}
		if err := s["initech"].Gone(); err != nil {
			return err
		}
		if _, ok := d.rds.Deleted("initech-postgres"); !ok {
			return errors.New("the RDS stand-in has not seen initech-postgres deleted")
		}
		return allReady("acme-corp", "globex")(s)
	})
	if err != nil {
		return err
	}
	d.timings.add("deactivate → claim gone", claimGone)
	d.timings.add("deactivate → claim, XR, Namespace, Deployment, RDS object gone", time.Since(start))
	del, _ := d.rds.Deleted("initech-postgres")
	if del.CloudDeleted {
		return errors.Errorf("%s: a provider would have deleted initech's cloud database: managementPolicies %v, deletionPolicy %q",
			step, del.ManagementPolicies, del.DeletionPolicy)
	}
	fmt.Fprintf(d.out, "  ✓ initech's claim, XR, Namespace and Deployment are gone; acme-corp and globex untouched\n")
	fmt.Fprintf(d.out, "  ✓ RDS instance initech-postgres retained: managementPolicies %v (no Delete), deletionPolicy %s\n",
		del.ManagementPolicies, del.DeletionPolicy)
	fmt.Fprintf(d.out, "    stand-in: no AWS here; a real provider would have left the database running in AWS\n")
	return nil
}

func specOf(u *unstructured.Unstructured, field string) string {
	if u == nil {
		return ""
	}
	s, _, _ := unstructured.NestedString(u.Object, "spec", field)
	return s
}
