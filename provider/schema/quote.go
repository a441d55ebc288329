package schema

import (
	"fmt"
	"unicode/utf8"
)

// MaxQuoted is how much of a value a message quotes. Row values end up in a Hub's status and
// events, and a status over the API server's size limit cannot be written at all, so a message
// shows the start of a value and its length rather than all of it.
const MaxQuoted = 64

// Quote quotes s like %q, cut to its first MaxQuoted characters with its length in bytes after
// it when it is longer.
func Quote(s string) string {
	if utf8.RuneCountInString(s) <= MaxQuoted {
		return fmt.Sprintf("%q", s)
	}
	cut, n := 0, 0
	for i := range s {
		if n == MaxQuoted {
			cut = i
			break
		}
		n++
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:cut], len(s))
}
