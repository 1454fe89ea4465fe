package toml

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The escapes of basic strings that stand for one byte, and those bytes.
const (
	escapeNames = `btnfre"\`
	escapeBytes = "\b\t\n\f\r\x1b\"\\"
)

// str reads any of the four kinds of string; pos is at its first quote.
func (p *parser) str() (string, error) {
	rest := p.src[p.pos:]
	switch {
	case strings.HasPrefix(rest, `"""`) || strings.HasPrefix(rest, "'''"):
		return p.multiLine(rest[0])
	case rest[0] == '"':
		return p.basic()
	}
	return p.literal()
}

// basic reads a "basic string". A string without escapes is a slice of
// the input, not a copy.
func (p *parser) basic() (string, error) {
	p.pos++
	start := p.pos
	var b []byte
	for {
		switch p.peek() {
		case '"':
			s := p.src[start:p.pos]
			p.pos++
			if b != nil {
				s = string(append(b, s...))
			}
			return s, nil
		case '\\':
			var err error
			if b, err = p.escape(append(b, p.src[start:p.pos]...)); err != nil {
				return "", err
			}
			start = p.pos
		case 0, '\n', '\r':
			return "", p.expected(`'"' at the end of the string`)
		default:
			p.pos++
		}
	}
}

// literal reads a 'literal string', which has no escapes.
func (p *parser) literal() (string, error) {
	p.pos++
	start := p.pos
	for {
		switch p.peek() {
		case '\'':
			p.pos++
			return p.src[start : p.pos-1], nil
		case 0, '\n', '\r':
			return "", p.expected(`"'" at the end of the string`)
		}
		p.pos++
	}
}

// multiLine reads a multi-line string: basic (with escapes) if q is a
// double quote, literal if it is a single quote. Newlines are kept as
// written.
func (p *parser) multiLine(q byte) (string, error) {
	delim := p.src[p.pos : p.pos+3]
	p.pos += 3
	p.newline() // a newline right after the opening quotes is not part of the string
	start := p.pos
	var b []byte
	for {
		switch c := p.peek(); {
		case c == q:
			n := 1
			for p.pos+n < len(p.src) && p.src[p.pos+n] == q {
				n++
			}
			if n >= 3 {
				return p.endMultiLine(b, start, n, q)
			}
			p.pos += n
		case c == '\\' && q == '"':
			b = append(b, p.src[start:p.pos]...)
			if !p.lineEnd() {
				var err error
				if b, err = p.escape(b); err != nil {
					return "", err
				}
			}
			start = p.pos
		case c == '\n':
			p.pos++
			p.line++
		case c == 0:
			return "", p.expected(fmt.Sprintf("'%s' at the end of the string", delim))
		default:
			p.pos++
		}
	}
}

// endMultiLine ends a multi-line string at a run of n quotes, n >= 3: the
// last three close it, and up to two before them belong to it.
func (p *parser) endMultiLine(b []byte, start, n int, q byte) (string, error) {
	if n > 5 {
		p.pos += 5
		return "", p.errorf("expected at most 5 %s in a row in a multi-line string, found %d", strconv.QuoteRune(rune(q)), n)
	}
	s := p.src[start : p.pos+n-3]
	p.pos += n
	if b != nil {
		s = string(append(b, s...))
	}
	return s, nil
}

// lineEnd skips a line-ending backslash at pos and all the whitespace and
// newlines after it, and reports whether there was one.
func (p *parser) lineEnd() bool {
	i := p.pos + 1
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if i == len(p.src) || p.src[i] != '\n' && p.src[i] != '\r' {
		return false
	}
	p.pos = i
	for p.newline() {
		p.skipSpace()
	}
	return true
}

// escape decodes the escape sequence at pos, a backslash, onto b.
func (p *parser) escape(b []byte) ([]byte, error) {
	p.pos++
	c := p.peek()
	if i := strings.IndexByte(escapeNames, c); i >= 0 {
		p.pos++
		return append(b, escapeBytes[i]), nil
	}
	switch c {
	case 'x':
		return p.hexEscape(b, 2)
	case 'u':
		return p.hexEscape(b, 4)
	case 'U':
		return p.hexEscape(b, 8)
	case 0, '\n', '\r':
		return nil, p.expected(`an escape after '\'`)
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	if !strconv.IsPrint(r) {
		return nil, p.errorf(`invalid escape in a string: a backslash before %s`, strconv.QuoteRune(r))
	}
	return nil, p.errorf(`invalid escape "\%c" in a string`, r)
}

// hexEscape decodes \x, \u or \U and its n hex digits, pos being at the
// letter, onto b.
func (p *parser) hexEscape(b []byte, n int) ([]byte, error) {
	start := p.pos - 1
	p.pos++
	for i := 0; i < n; i++ {
		if !isHex(p.peek()) {
			return nil, p.expected(fmt.Sprintf(`%d hex digits after "\%c"`, n, p.src[start+1]))
		}
		p.pos++
	}
	code := p.src[start:p.pos]
	r, _ := strconv.ParseUint(code[2:], 16, 32)
	if !utf8.ValidRune(rune(r)) {
		return nil, p.errorf(`invalid escape "%s" in a string: not a Unicode scalar value`, code)
	}
	return utf8.AppendRune(b, rune(r)), nil
}
