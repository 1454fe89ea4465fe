package output

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// DefaultMaxLine is the longest line a forwarder delivers whole; longer
// lines are cut into pieces of at most this many bytes.
const DefaultMaxLine = 4096

const (
	minMaxLine  = 16       // a smaller limit could not hold one UTF-8 sequence plus text
	maxMaxLine  = 1 << 20  // a limit above this would only pin memory
	minReadSize = 16 << 10 // read at least this much per call when lines are short
)

// splitter cuts a byte stream into lines of at most max bytes. Data waits in
// buf[r:w]; between calls to next that hold no full line it is at most
// max+1 bytes long.
type splitter struct {
	max  int
	buf  []byte
	r, w int
}

func newSplitter(limit int) *splitter {
	limit = clampMaxLine(limit)
	return &splitter{max: limit, buf: make([]byte, max(2*(limit+2), minReadSize))}
}

func clampMaxLine(n int) int {
	if n <= 0 {
		return DefaultMaxLine
	}
	return min(max(n, minMaxLine), maxMaxLine)
}

// fill reads once from src into the free end of the buffer.
func (s *splitter) fill(src io.Reader) (int, error) {
	if s.r == s.w {
		s.r, s.w = 0, 0
	} else if len(s.buf)-s.w < len(s.buf)/2 {
		s.w = copy(s.buf, s.buf[s.r:s.w])
		s.r = 0
	}
	n, err := src.Read(s.buf[s.w:])
	s.w += n
	return n, err
}

// next returns the next complete line, or a piece of max bytes of a longer
// one. The slice is valid until the next call to fill.
func (s *splitter) next() ([]byte, bool) {
	data := s.buf[s.r:s.w]
	// A newline at index max+1 still ends a line of max bytes if "\r\n" ends it.
	if i := bytes.IndexByte(data[:min(len(data), s.max+2)], '\n'); i >= 0 {
		if line := trimCR(data[:i]); len(line) <= s.max {
			s.r += i + 1
			return line, true
		}
	} else if len(data) <= s.max+1 {
		return nil, false // the line may still end within the limit
	}
	n := cutPoint(data[:s.max])
	s.r += n
	return data[:n], true
}

// rest returns what remains at EOF, piece by piece, as lines.
func (s *splitter) rest() ([]byte, bool) {
	if line, ok := s.next(); ok {
		return line, true
	}
	data := s.buf[s.r:s.w]
	if len(data) == 0 {
		return nil, false
	}
	n := len(data)
	if n > s.max {
		n = cutPoint(data[:s.max])
	}
	s.r += n
	return data[:n], true
}

func trimCR(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		return line[:n-1]
	}
	return line
}

// cutPoint returns where to cut a piece b of an overlong line: at len(b),
// or before a UTF-8 sequence that b holds only the start of.
func cutPoint(b []byte) int {
	for j := len(b) - 1; j >= 0 && j > len(b)-utf8.UTFMax; j-- {
		if utf8.RuneStart(b[j]) {
			if j > 0 && !utf8.FullRune(b[j:]) {
				return j
			}
			break
		}
	}
	return len(b)
}
