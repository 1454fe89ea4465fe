package output

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Console is a sink that writes the lines of every service to one writer,
// tinit's console, each line with a single Write under a mutex so that
// lines of different services never interleave.
type Console struct {
	mu     sync.Mutex
	w      io.Writer
	format Format
	width  int
	buf    []byte
	now    func() time.Time
}

// maxKeptBuf is the largest record buffer a sink keeps between lines.
const maxKeptBuf = 64 << 10

// NewConsole returns a console sink writing to w in the given format. In
// Text format each line is "name | line", the name padded to width bytes
// (0: no padding) so that the lines of several services align.
func NewConsole(w io.Writer, format Format, width int) *Console {
	return &Console{w: w, format: format, width: width, now: time.Now}
}

// WriteLine writes one line of service with one call to the writer.
func (c *Console) WriteLine(service string, stream Stream, line []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.format == JSON {
		c.buf = appendJSONRecord(c.buf[:0], c.now(), service, stream, line)
	} else {
		c.buf = appendTextRecord(c.buf[:0], service, c.width, line)
	}
	_, err := c.w.Write(c.buf)
	if cap(c.buf) > maxKeptBuf {
		c.buf = nil
	}
	if err != nil {
		return fmt.Errorf("write line of %q to console: %w", service, err)
	}
	return nil
}

// appendTextRecord appends "name | line\n", the name padded to width.
func appendTextRecord(dst []byte, service string, width int, line []byte) []byte {
	dst = append(dst, service...)
	for n := len(service); n < width; n++ {
		dst = append(dst, ' ')
	}
	dst = append(dst, " | "...)
	dst = append(dst, line...)
	return append(dst, '\n')
}
