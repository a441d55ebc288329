package render

import "fmt"

// An Error is a failure to render one field of one resource.
type Error struct {
	// ID is the resource id in the Form.
	ID string
	// Field is the path of the field within the resource, e.g. spec.replicas or nameTemplate.
	Field string
	// Err is the cause; a template error names the template line.
	Err error
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("resource %q: %v", e.ID, e.Err)
	}
	return fmt.Sprintf("resource %q field %s: %v", e.ID, e.Field, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
