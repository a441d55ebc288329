package template

import (
	"fmt"
	"strconv"
	"strings"
)

// An Error is a template failure located at a line of the template.
type Error struct {
	// Template is the template's name, by convention "<resource id>/<field path>".
	Template string
	// Line is the 1-based line of the template, or 0 when unknown.
	Line int
	// Msg says what went wrong.
	Msg string
	// Limit names the limit the render hit (LimitTime, LimitOutput, LimitAlloc,
	// LimitIterations), or is empty when the template itself is wrong.
	Limit string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("template %s line %d: %s", e.Template, e.Line, e.Msg)
	}
	return fmt.Sprintf("template %s: %s", e.Template, e.Msg)
}

// locate turns text/template's "template: NAME:LINE[:COL]: msg" into an Error.
func locate(name string, err error) *Error {
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, "template: "+name+":")
	if !ok {
		return &Error{Template: name, Msg: cut(msg)}
	}
	lineStr, rest, _ := strings.Cut(rest, ":")
	line, convErr := strconv.Atoi(lineStr)
	if convErr != nil {
		return &Error{Template: name, Msg: cut(msg)}
	}
	// Drop the column and the "executing NAME at <...>:" prefix, keeping the action itself.
	if col, after, ok := strings.Cut(rest, ":"); ok {
		if _, err := strconv.Atoi(col); err == nil {
			rest = after
		}
	}
	rest = strings.TrimSpace(rest)
	if at, ok := strings.CutPrefix(rest, fmt.Sprintf("executing %q at ", name)); ok {
		rest = at
	}
	// "error calling int: msg" repeats the function the action already names.
	if i := strings.Index(rest, "error calling "); i >= 0 {
		if j := strings.Index(rest[i:], ": "); j >= 0 {
			rest = rest[:i] + rest[i+j+2:]
		}
	}
	return &Error{Template: name, Line: line, Msg: cut(rest)}
}

// cut shortens a message that quotes a huge value (text/template's errors print values whole).
func cut(msg string) string {
	const max = 256
	if len(msg) <= max {
		return msg
	}
	return fmt.Sprintf("%s... (%d bytes)", strings.ToValidUTF8(msg[:max], ""), len(msg))
}
