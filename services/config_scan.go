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

// scan is one pass over a TOML document, before it is decoded. It finds
// the line of every key definition in document order: each table header,
// and each '=' outside strings and comments (every key/value pair has
// exactly one, inline tables included). It also stops at the first place
// that goes beyond maxKeyParts or maxNesting.
type scan struct {
	data  []byte
	line  int
	lines []int  // of the key definitions so far
	stack []byte // '[' or '{' for each open value
	inKey bool   // reading a key: at the start of a line, after '{' or ','
	parts int    // of the key being read
}

// scanTOML returns the lines of the key definitions of data, or the line
// where data goes beyond a limit of its shape with what is wrong.
func scanTOML(data []byte) (lines []int, badLine int, msg string) {
	s := &scan{data: data, line: 1, inKey: true, parts: 1}
	atStart := true
	for i := 0; i < len(data); i++ {
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
			return nil, s.line, msg
		}
		atStart = false
	}
	return s.lines, 0, ""
}

// other handles every byte but newlines, blanks, comments and '['.
func (s *scan) other(i int) (int, string) {
	switch c := s.data[i]; c {
	case '"', '\'':
		i, s.line = skipString(s.data, i, s.line)
	case '.':
		if s.inKey {
			return i, s.part()
		}
	case '=':
		s.lines = append(s.lines, s.line)
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

func (s *scan) part() string {
	if s.parts++; s.parts > maxKeyParts {
		return fmt.Sprintf("a key has more than %d dotted parts, the limit", maxKeyParts)
	}
	return ""
}

func (s *scan) open(c byte) string {
	if s.stack = append(s.stack, c); len(s.stack) > maxNesting {
		return fmt.Sprintf("arrays and inline tables nest more than %d deep, the limit", maxNesting)
	}
	return ""
}

// header reads the table header "[a.b]" or "[[a.b]]" that opens at i,
// and returns the index of its last byte.
func (s *scan) header(i int) (int, string) {
	s.lines = append(s.lines, s.line)
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
			if s.data[i+1] == '[' && j+1 < len(s.data) && s.data[j+1] == ']' {
				j++
			}
			return j, ""
		}
	}
	return len(s.data) - 1, ""
}

// skipString skips the string that opens at data[i] and returns the index
// of its last byte, with the line number there.
func skipString(data []byte, i, line int) (int, int) {
	q := data[i]
	multi := i+2 < len(data) && data[i+1] == q && data[i+2] == q
	j := i + 1
	if multi {
		j = i + 3
	}
	for ; j < len(data); j++ {
		c := data[j]
		switch {
		case c == '\\' && q == '"':
			if j+1 < len(data) && data[j+1] == '\n' {
				line++
			}
			j++
		case c == '\n' && !multi:
			return j - 1, line // unterminated: let the caller see the newline
		case c == '\n':
			line++
		case c == q && !multi:
			return j, line
		case c == q && j+2 < len(data) && data[j+1] == q && data[j+2] == q:
			end := j + 2
			for n := 0; n < 2 && end+1 < len(data) && data[end+1] == q; n++ {
				end++ // up to two quotes before the closing three belong to the string
			}
			return end, line
		}
	}
	return len(data) - 1, line
}
