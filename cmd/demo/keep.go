package main

import (
	"fmt"
	"os/exec"
	"path/filepath"

	"github.com/rowplane/rowplane/internal/devstack/stack"
)

// keep prints how to reach the running stack and waits for Ctrl-C.
func (d *demo) keep(cfg config) error {
	kc, err := filepath.Abs(d.cp.Kubeconfig)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\n── The stack keeps running (KEEP=1). In another shell:\n\n")
	fmt.Fprintf(d.out, "  export KUBECONFIG=%s\n", kc)
	for _, c := range []string{
		"kubectl get nodedatabases -n " + stack.TenantsNS,
		"kubectl get xnodedatabases",
		"kubectl get rdsinstances",
		"kubectl get hub -n " + stack.TenantsNS,
		"kubectl get deployments -A -l app",
		"kubectl get functions,providers",
	} {
		fmt.Fprintf(d.out, "  %s\n", c)
	}
	if _, err := exec.LookPath("kubectl"); err != nil {
		fmt.Fprintf(d.out, "  (kubectl is not on your PATH: install it, https://kubernetes.io/docs/tasks/tools/)\n")
	}
	c := d.table.conn
	switch {
	case d.table.postgres:
		fmt.Fprintf(d.out, "\n  The Hub hears of every change through NOTIFY: change rows of %s.nodes and watch the claims follow.\n", c.Name)
	case cfg.dsn == "":
		fmt.Fprintf(d.out, "\n  The Hub still syncs every %s: change rows and watch the claims follow, e.g.\n", stack.HubSyncInterval)
		fmt.Fprintf(d.out, "  mysql -h %s -P %d -u root %s -e \"UPDATE nodes SET is_active = TRUE WHERE node_id = 'initech'\"\n", c.Host, c.Port, c.Name)
	default:
		fmt.Fprintf(d.out, "\n  The Hub still syncs every %s: change rows of %s.nodes and watch the claims follow.\n", stack.HubSyncInterval, c.Name)
	}
	fmt.Fprintf(d.out, "\n  Ctrl-C stops everything.\n")
	<-d.ctx.Done()
	fmt.Fprintf(d.out, "\nstopping ...\n")
	return nil
}
