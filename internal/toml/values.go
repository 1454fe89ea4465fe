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
	if err := p.open(); err != nil {
		return nil, err
	}
	p.pos++
	a := []any{}
	p.skipBlank()
	for !p.eat(']') {
		v, _, err := p.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		p.skipBlank()
		if p.eat(',') {
			p.skipBlank()
		} else if p.peek() != ']' {
			return nil, p.expected("',' or ']' after an array element")
		}
	}
	p.depth--
	return a, nil
}

// inlineTable reads { key = value, ... }. TOML 1.1 allows newlines,
// comments and a trailing comma in it.
func (p *parser) inlineTable() (*table, error) {
	if err := p.open(); err != nil {
		return nil, err
	}
	p.pos++
	t := newTable()
	p.skipBlank()
	for !p.eat('}') {
		if err := p.keyValue(t); err != nil {
			return nil, err
		}
		p.skipBlank()
		if p.eat(',') {
			p.skipBlank()
		} else if p.peek() != '}' {
			return nil, p.expected("',' or '}' after a key/value pair in an inline table")
		}
	}
	p.depth--
	return t, nil
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
