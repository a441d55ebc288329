package v1beta1

import "time"

// Lynq's defaults, applied when a field is unset. The function reads its input without an API
// server, so CRD defaults never run: these accessors are the single source of them.
const (
	DefaultTimeoutSeconds = 300
	DefaultValuesFrom     = "spec"
)

// All returns every resource of the spec: the flat list first, then the Lynq lists in the
// order Lynq documents them.
func (s *FormSpec) All() []Resource {
	lists := [][]Resource{
		s.Resources, s.Namespaces, s.ServiceAccounts, s.Deployments, s.StatefulSets, s.DaemonSets,
		s.Services, s.Ingresses, s.ConfigMaps, s.Secrets, s.PersistentVolumeClaims, s.Jobs,
		s.CronJobs, s.PodDisruptionBudgets, s.NetworkPolicies, s.HorizontalPodAutoscalers, s.Manifests,
	}
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	all := make([]Resource, 0, n)
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// GetValuesFrom returns the field path of the template variables, "spec" by default.
func (s *FormSpec) GetValuesFrom() string {
	if s.ValuesFrom == "" {
		return DefaultValuesFrom
	}
	return s.ValuesFrom
}

// GetWaitForReady reports whether dependents wait for this resource to be ready (default true).
func (r *Resource) GetWaitForReady() bool { return r.WaitForReady == nil || *r.WaitForReady }

// GetSkipOnDependencyFailure reports whether a failed dependency withholds this resource
// (default true).
func (r *Resource) GetSkipOnDependencyFailure() bool {
	return r.SkipOnDependencyFailure == nil || *r.SkipOnDependencyFailure
}

// GetTimeout returns how long the resource may take to become ready (default 300 s).
func (r *Resource) GetTimeout() time.Duration {
	if r.TimeoutSeconds == nil || *r.TimeoutSeconds <= 0 {
		return DefaultTimeoutSeconds * time.Second
	}
	return time.Duration(*r.TimeoutSeconds) * time.Second
}

// GetCreationPolicy returns the creation policy (default WhenNeeded).
func (r *Resource) GetCreationPolicy() CreationPolicy {
	if r.CreationPolicy == "" {
		return CreationWhenNeeded
	}
	return r.CreationPolicy
}

// GetDeletionPolicy returns the deletion policy (default Delete).
func (r *Resource) GetDeletionPolicy() DeletionPolicy {
	if r.DeletionPolicy == "" {
		return DeletionDelete
	}
	return r.DeletionPolicy
}
