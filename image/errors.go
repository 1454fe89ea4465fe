package image

import (
	"strconv"
	"strings"
)

// Error is the error of one entry: what was being done to it, its path in
// the image and, when it was declared in a manifest, where.
type Error struct {
	Pos  string // "file:line" of the manifest line, or "" for API calls
	Op   string // "add", "write", "parse"
	Path string // the entry's path in the image, as given
	Err  error
}

// Error reads "[file:line: ]op "path": cause".
func (e *Error) Error() string {
	var s strings.Builder
	if e.Pos != "" {
		s.WriteString(e.Pos + ": ")
	}
	s.WriteString(e.Op + " " + strconv.Quote(e.Path) + ": " + e.Err.Error())
	return s.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
