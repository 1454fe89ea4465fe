package toml

import (
	"fmt"
	"strings"
)

// parser reads one document. Its methods move pos past what they read and
// keep line in step with it, so that an error is reported on the line of
// the character that caused it.
type parser struct {
	src  string
	pos  int
	line int
	lim  Limits

	depth int      // arrays and inline tables open around pos
	root  *table   // the document
	cur   *table   // the table of the current [header] section
	path  []string // its key, for messages
}

// document reads the whole input.
func (p *parser) document() error {
	if err := checkText(p.src); err != nil {
		return err
	}
	if strings.HasPrefix(p.src, "\uFEFF") {
		p.pos = len("\uFEFF") // a byte order mark is allowed, at the start only
	}
	for {
		p.skipBlank()
		if p.pos == len(p.src) {
			return nil
		}
		if err := p.item(); err != nil {
			return err
		}
	}
}

// item reads a table header or a key/value pair, and the rest of its line.
func (p *parser) item() error {
	what, err := "a key/value pair", error(nil)
	if p.peek() == '[' {
		what, err = "a table header", p.header()
	} else {
		err = p.keyValue(p.cur)
	}
	if err != nil {
		return err
	}
	p.skipSpace()
	p.skipComment()
	if p.pos < len(p.src) && !p.newline() {
		return p.expected("a newline after " + what)
	}
	return nil
}

// header reads [a.b] or [[a.b]] and makes its table the current one.
func (p *parser) header() error {
	p.pos++
	array := p.eat('[')
	parts, err := p.key()
	if err != nil {
		return err
	}
	if !p.eat(']') {
		return p.expected("'.' or ']' after a key in a table header")
	}
	if array && !p.eat(']') {
		return p.expected("']]' at the end of an array-of-tables header")
	}
	if array {
		p.cur, err = p.appendTable(parts)
	} else {
		p.cur, err = p.defineTable(parts)
	}
	p.path = parts
	return err
}

// keyValue reads key = value into t. It checks the key before reading the
// value, so that a redefinition is reported on the key's line.
func (p *parser) keyValue(t *table) error {
	line := p.line
	parts, err := p.key()
	if err != nil {
		return err
	}
	if !p.eat('=') {
		return p.expected("'.' or '=' after a key")
	}
	p.skipSpace()
	parent, err := p.dottedParent(t, parts)
	if err != nil {
		return err
	}
	name := parts[len(parts)-1]
	if e, ok := parent.keys[name]; ok {
		if e.sub != nil && e.kind != kindInline {
			return p.conflict("key", parts, parts, e, nil)
		}
		return p.errorf("duplicate key %s (first defined on line %d)", keyText(parts), e.line)
	}
	v, sub, err := p.value()
	if err != nil {
		return err
	}
	e := entry{kind: kindValue, line: line}
	if sub != nil {
		e.kind, e.sub = kindInline, sub
	}
	parent.set(name, v, e)
	return nil
}

// key reads a dotted key, and the spaces around its parts.
func (p *parser) key() ([]string, error) {
	var parts []string
	for {
		p.skipSpace()
		part, err := p.keyPart()
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
		if p.lim.KeyParts > 0 && len(parts) > p.lim.KeyParts {
			return nil, p.beyond("a key has more than %d dotted parts, the limit", p.lim.KeyParts)
		}
		p.skipSpace()
		if !p.eat('.') {
			return parts, nil
		}
	}
}

// keyPart reads one part of a dotted key: bare, "basic" or 'literal'.
func (p *parser) keyPart() (string, error) {
	rest := p.src[p.pos:]
	switch c := p.peek(); {
	case strings.HasPrefix(rest, `"""`) || strings.HasPrefix(rest, "'''"):
		return "", p.errorf("a key cannot be a multi-line string")
	case c == '"':
		return p.basic()
	case c == '\'':
		return p.literal()
	case isBare(c):
		start := p.pos
		for isBare(p.peek()) {
			p.pos++
		}
		return p.src[start:p.pos], nil
	}
	return "", p.expected("a key")
}

// peek returns the byte at pos, or 0 at the end (checkText keeps NUL out
// of the input).
func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// eat skips c if it is next, and reports whether it was.
func (p *parser) eat(c byte) bool {
	if p.peek() == c {
		p.pos++
		return true
	}
	return false
}

// skipSpace skips spaces and tabs.
func (p *parser) skipSpace() {
	for p.peek() == ' ' || p.peek() == '\t' {
		p.pos++
	}
}

// skipComment skips a comment, up to the end of its line.
func (p *parser) skipComment() {
	if p.peek() != '#' {
		return
	}
	if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
		p.pos += i
		if p.src[p.pos-1] == '\r' {
			p.pos-- // leave all of a CRLF to newline
		}
	} else {
		p.pos = len(p.src)
	}
}

// newline skips an LF or a CRLF, and reports whether there was one.
func (p *parser) newline() bool {
	switch {
	case p.peek() == '\n':
		p.pos++
	case strings.HasPrefix(p.src[p.pos:], "\r\n"):
		p.pos += 2
	default:
		return false
	}
	p.line++
	return true
}

// skipBlank skips spaces, comments and newlines: what may come between
// top-level items, array elements and the pairs of an inline table.
func (p *parser) skipBlank() {
	for {
		p.skipSpace()
		p.skipComment()
		if !p.newline() {
			return
		}
	}
}

// errorf returns an *Error on the current line.
func (p *parser) errorf(format string, args ...any) error {
	return &Error{Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// beyond returns an error saying that the document goes beyond a limit.
func (p *parser) beyond(format string, limit int) error {
	return &Error{Line: p.line, Msg: fmt.Sprintf(format, limit), Limit: true}
}

// expected returns an error saying what was expected, and what is at pos.
func (p *parser) expected(what string) error {
	return p.errorf("expected %s, found %s", what, found(p.src, p.pos))
}
