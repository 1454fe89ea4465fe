package toml

// value reads the value of a key or an array element. For an inline table
// it also returns the table, whose entries Document.Line needs.
func (p *parser) value() (any, *table, error) {
	switch p.peek() {
	case '"', '\'':
		s, err := p.str()
		return s, nil, err
	case '[':
		a, err := p.array()
		return a, nil, err
	case '{':
		t, err := p.inlineTable()
		if err != nil {
			return nil, nil, err
		}
		return t.vals, t, nil
	}
	v, err := p.scalar()
	return v, nil, err
}

// array reads [ value, ... ]; newlines, comments and a trailing comma are
// allowed.
func (p *parser) array() ([]any, error) {
	a := []any{}
	err := p.list(']', "',' or ']' after an array element", func() error {
		v, _, err := p.value()
		a = append(a, v)
		return err
	})
	return a, err
}

// inlineTable reads { key = value, ... }. TOML 1.1 allows newlines,
// comments and a trailing comma in it.
func (p *parser) inlineTable() (*table, error) {
	t := newTable()
	err := p.list('}', "',' or '}' after a key/value pair in an inline table", func() error {
		return p.keyValue(t)
	})
	return t, err
}

// list reads the elements of an array or inline table, from its opening
// bracket to close, each with elem, separated by commas; after says what
// must follow an element.
func (p *parser) list(close byte, after string, elem func() error) error {
	if err := p.open(); err != nil {
		return err
	}
	p.pos++
	p.skipBlank()
	for !p.eat(close) {
		if err := elem(); err != nil {
			return err
		}
		p.skipBlank()
		if p.eat(',') {
			p.skipBlank()
		} else if p.peek() != close {
			return p.expected(after)
		}
	}
	p.depth--
	return nil
}

// open counts one more array or inline table against the nesting limit,
// before the parser recurses into it.
func (p *parser) open() error {
	limit := p.lim.Nesting
	if limit <= 0 {
		limit = maxNesting
	}
	p.depth++
	if p.depth > limit {
		return p.beyond("arrays and inline tables nest more than %d deep, the limit", limit)
	}
	return nil
}

// scalar reads a boolean, number, date or time.
func (p *parser) scalar() (any, error) {
	tok := p.token()
	switch {
	case tok == "":
		return nil, p.expected("a value")
	case tok == "true":
		return true, nil
	case tok == "false":
		return false, nil
	case isDatetime(tok):
		return p.datetime(tok)
	case isLetter(tok[0]) && tok != "inf" && tok != "nan":
		return nil, p.errorf("expected a value, found %q (a string needs quotes)", tok)
	}
	return p.number(tok)
}

// token reads the text of a boolean, number, date or time: letters,
// digits and _ + - . : — and the space between a date and a time.
func (p *parser) token() string {
	start := p.pos
	p.skipToken()
	if tok := p.src[start:p.pos]; len(tok) == 10 && tok[4] == '-' && tok[7] == '-' &&
		len(p.src) > p.pos+3 && p.src[p.pos] == ' ' &&
		isDigit(p.src[p.pos+1]) && isDigit(p.src[p.pos+2]) && p.src[p.pos+3] == ':' {
		p.pos++
		p.skipToken()
	}
	return p.src[start:p.pos]
}

// skipToken skips the characters token reads.
func (p *parser) skipToken() {
	for c := p.peek(); isBare(c) || c == '+' || c == '.' || c == ':'; c = p.peek() {
		p.pos++
	}
}

// isDatetime reports whether tok starts like a date (1979-) or a time (07:).
func isDatetime(tok string) bool {
	return len(tok) >= 5 && isDigit(tok[0]) && isDigit(tok[1]) && isDigit(tok[2]) && isDigit(tok[3]) && tok[4] == '-' ||
		len(tok) >= 3 && isDigit(tok[0]) && isDigit(tok[1]) && tok[2] == ':'
}
