package graph

import (
	"fmt"
	"strings"
)

// An EmptyIDError reports a resource without an id.
type EmptyIDError struct{}

func (e *EmptyIDError) Error() string { return "resource has an empty id" }

// A DuplicateError reports an id used by more than one resource across the pipeline's Forms.
type DuplicateError struct {
	ID string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("duplicate resource id %q: ids must be unique across every Form of the pipeline", e.ID)
}

// A MissingDependencyError reports a dependIds entry that names no resource.
type MissingDependencyError struct {
	// ID is the resource whose dependIds names Missing.
	ID string
	// Missing is the id that no resource has.
	Missing string
}

func (e *MissingDependencyError) Error() string {
	return fmt.Sprintf("resource %q depends on %q, which is not a resource of any Form in the pipeline", e.ID, e.Missing)
}

// A CycleError reports a dependency cycle. IDs is the cycle as a closed path in dependency
// direction: [a b c a] means a depends on b, b on c and c on a.
type CycleError struct {
	IDs []string
}

func (e *CycleError) Error() string {
	return "dependency cycle: " + strings.Join(e.IDs, " -> ")
}
