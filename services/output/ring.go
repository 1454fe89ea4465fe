package output

import "sync"

// Ring is a sink that keeps the last lines of a service in memory, at most
// maxLines lines and maxBytes bytes of line text. It is safe for
// concurrent use.
type Ring struct {
	mu       sync.Mutex
	lines    []string // lines[start:] are kept, oldest first
	start    int
	bytes    int
	maxLines int
	maxBytes int
}

// NewRing returns a ring keeping at most maxLines lines and maxBytes bytes;
// each bound is at least 1. A line longer than maxBytes is kept truncated.
func NewRing(maxLines, maxBytes int) *Ring {
	return &Ring{maxLines: max(maxLines, 1), maxBytes: max(maxBytes, 1)}
}

// WriteLine keeps a copy of line, forgetting the oldest lines as needed.
func (r *Ring) WriteLine(_ string, _ Stream, line []byte) error {
	s := string(line[:min(len(line), r.maxBytes)])
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, s)
	r.bytes += len(s)
	for len(r.lines)-r.start > r.maxLines || r.bytes > r.maxBytes {
		r.bytes -= len(r.lines[r.start])
		r.lines[r.start] = ""
		r.start++
	}
	if r.start >= len(r.lines)/2 && r.start > 0 {
		n := copy(r.lines, r.lines[r.start:])
		clear(r.lines[n:])
		r.lines, r.start = r.lines[:n], 0
	}
	return nil
}

// Lines returns a copy of the kept lines, oldest first.
func (r *Ring) Lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines[r.start:]...)
}
