package services

import "fmt"

// Limits of a document's shape, checked before the TOML decoder runs: its
// time grows much faster than the depth of a dotted key (seconds at a few
// thousand parts), and it recurses into nested values. A configuration
// needs four parts (service.NAME.health.KEY) and two levels of nesting.
const (
	maxKeyParts = 8 // dotted parts of one key, or of one table header
	maxNesting  = 8 // arrays and inline tables inside each other
)

// shapeScan walks a document like scanKeyLines, tracking what the limits
// need: the open arrays and inline tables, and whether a key is being read.
type shapeScan struct {
	data  []byte
	line  int
	stack []byte // '[' or '{' for each open value
	inKey bool   // reading a key: at the start of a line, after '{' or ','
	parts int    // of the key being read
}

// checkShape returns the first line where data goes beyond maxKeyParts or
// maxNesting, with what is wrong; line 0 if it stays within them.
func checkShape(data []byte) (int, string) {
	s := &shapeScan{data: data, line: 1, inKey: true, parts: 1}
	atStart := true
	for i := 0; i < len(data); i++ {
		var msg string
		switch c := data[i]; c {
		case '\n':
			s.line, atStart = s.line+1, true
			if len(s.stack) == 0 {
				s.inKey, s.parts = true, 1
			}
			continue
		case ' ', '\t', '\r':
			continue
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
			continue
		case '[':
			if len(s.stack) == 0 && atStart {
				i, msg = s.header(i)
			} else {
				msg = s.open(c)
			}
		default:
			i, msg = s.other(i)
		}
		if msg != "" {
			return s.line, msg
		}
		atStart = false
	}
	return 0, ""
}

// other handles every byte but newlines, blanks, comments and '['.
func (s *shapeScan) other(i int) (int, string) {
	switch c := s.data[i]; c {
	case '"', '\'':
		i, s.line = skipString(s.data, i, s.line)
	case '.':
		if s.inKey {
			return i, s.part()
		}
	case '=':
		s.inKey = false
	case '{':
		s.inKey, s.parts = true, 1
		return i, s.open(c)
	case ',':
		if n := len(s.stack); n > 0 && s.stack[n-1] == '{' {
			s.inKey, s.parts = true, 1
		}
	case ']', '}':
		if n := len(s.stack); n > 0 {
			s.stack = s.stack[:n-1]
		}
	}
	return i, ""
}

func (s *shapeScan) part() string {
	if s.parts++; s.parts > maxKeyParts {
		return fmt.Sprintf("a key has more than %d dotted parts, the limit", maxKeyParts)
	}
	return ""
}

func (s *shapeScan) open(c byte) string {
	if s.stack = append(s.stack, c); len(s.stack) > maxNesting {
		return fmt.Sprintf("arrays and inline tables nest more than %d deep, the limit", maxNesting)
	}
	return ""
}

// header counts the parts of the table header that opens at i.
func (s *shapeScan) header(i int) (int, string) {
	s.parts = 1
	for j := i + 1; j < len(s.data); j++ {
		switch s.data[j] {
		case '"', '\'':
			j, s.line = skipString(s.data, j, s.line)
		case '.':
			if msg := s.part(); msg != "" {
				return j, msg
			}
		case '\n':
			return j - 1, ""
		case ']':
			s.inKey = false
			return j, ""
		}
	}
	return len(s.data) - 1, ""
}
