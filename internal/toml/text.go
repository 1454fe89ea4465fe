package toml

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkText rejects what TOML allows nowhere, so that the parser need not
// check for it in each place: invalid UTF-8, and control characters other
// than tab, LF and the CR of a CRLF (strings and comments forbid them, and
// elsewhere they are not syntax).
func checkText(src string) error {
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
		case c == '\r' && strings.HasPrefix(src[i:], "\r\n"):
		case c == '\r':
			return &Error{Line: line, Msg: `a carriage return ('\r') must be followed by a newline`}
		case c < ' ' && c != '\t' || c == 0x7f:
			return &Error{Line: line, Msg: fmt.Sprintf("control character %s is not allowed (write it as an escape in a basic string)", strconv.QuoteRune(rune(c)))}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && n == 1 {
				return &Error{Line: line, Msg: fmt.Sprintf("invalid UTF-8 byte %q", src[i:i+1])}
			}
			i += n
			continue
		}
		i++
	}
	return nil
}

// found describes the character at src[i] for a message.
func found(src string, i int) string {
	if i >= len(src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	if r == '\n' || r == '\r' {
		return "end of line"
	}
	return strconv.QuoteRune(r)
}

// keyText returns a dotted key, quoted, as a message shows it: parts that
// are not bare keys are quoted inside, so that "a.b" and a."b.c" differ.
func keyText(parts []string) string {
	var b []byte
	for i, s := range parts {
		if i > 0 {
			b = append(b, '.')
		}
		if isBareKey(s) {
			b = append(b, s...)
		} else {
			b = strconv.AppendQuote(b, s)
		}
	}
	return strconv.Quote(string(b))
}

// isBareKey reports whether s may be written as a bare key.
func isBareKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isBare(s[i]) {
			return false
		}
	}
	return s != ""
}

// isBare reports whether c may appear in a bare key.
func isBare(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '-'
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
