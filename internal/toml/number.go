package toml

import (
	"errors"
	"strconv"
	"strings"
)

// number reads an integer or a float.
func (p *parser) number(tok string) (any, error) {
	if s := strings.TrimLeft(tok, "+-"); (s == "inf" || s == "nan") && len(tok)-len(s) <= 1 {
		f, _ := strconv.ParseFloat(s, 64)
		if tok[0] == '-' {
			f = -f // also sets the sign of NaN, as -nan asks
		}
		return f, nil
	}
	if len(tok) > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'o' || tok[1] == 'b') {
		return p.prefixed(tok)
	}
	return p.decimal(tok)
}

// prefixed reads a hexadecimal (0x), octal (0o) or binary (0b) integer.
func (p *parser) prefixed(tok string) (any, error) {
	base := 16
	switch tok[1] {
	case 'o':
		base = 8
	case 'b':
		base = 2
	}
	if problem := digitsProblem(tok[2:], base); problem != "" {
		return nil, p.errorf("invalid number %q: %s", tok, problem)
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(tok[2:], "_", ""), base, 64)
	if err != nil {
		return nil, p.rangeError("integer", tok, err)
	}
	return n, nil
}

// decimal reads a decimal integer or float: an optional sign, digits with
// no leading zero, an optional fraction and an optional exponent.
func (p *parser) decimal(tok string) (any, error) {
	s := tok
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	mantissa, exp, hasExp := strings.Cut(strings.ReplaceAll(s, "E", "e"), "e")
	whole, frac, hasFrac := strings.Cut(mantissa, ".")
	if hasExp && exp != "" && (exp[0] == '+' || exp[0] == '-') {
		exp = exp[1:]
	}
	problem := digitsProblem(whole, 10)
	if problem == "" && hasFrac {
		problem = digitsProblem(frac, 10)
	}
	if problem == "" && hasExp {
		problem = digitsProblem(exp, 10)
	}
	if problem == "" && len(whole) > 1 && whole[0] == '0' {
		problem = "leading zeros are not allowed"
	}
	if problem != "" {
		return nil, p.errorf("invalid number %q: %s", tok, problem)
	}
	clean := strings.ReplaceAll(tok, "_", "")
	if !hasFrac && !hasExp {
		n, err := strconv.ParseInt(clean, 10, 64)
		if err != nil {
			return nil, p.rangeError("integer", tok, err)
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return nil, p.rangeError("float", tok, err)
	}
	return f, nil
}

// rangeError reports a number that strconv refused; its syntax was
// checked already, so it is out of range.
func (p *parser) rangeError(what, tok string, err error) error {
	if errors.Is(err, strconv.ErrRange) {
		return p.errorf("%s %s is out of range", what, tok)
	}
	return p.errorf("invalid number %q", tok)
}

// digitsProblem says what is wrong with s as digits in base with single
// underscores between them, or "" if nothing is.
func digitsProblem(s string, base int) string {
	if s == "" {
		return "expected a digit"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' && (i == 0 || i == len(s)-1 || s[i-1] == '_'):
			return "an underscore must be between two digits"
		case c == '_':
		case base == 16 && !isHex(c), base < 16 && (c < '0' || c >= '0'+byte(base)):
			return strconv.QuoteRune(rune(c)) + " is not a base-" + strconv.Itoa(base) + " digit"
		}
	}
	return ""
}
