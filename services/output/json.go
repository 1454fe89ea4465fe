package output

import (
	"time"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Bytes that are not valid
// UTF-8 become U+FFFD, one per byte, and control characters are escaped, so
// the result is valid JSON whatever s holds.
func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
		}
		dst = append(dst, s[start:i]...)
		dst = appendEscaped(dst, c)
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscaped appends the JSON escape of one byte that cannot appear as
// itself: a quote, a backslash, a control character or an invalid byte.
func appendEscaped(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	if c >= utf8.RuneSelf {
		return append(dst, "\ufffd"...)
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// jsonTimeLayout is RFC 3339 in UTC with microseconds, fixed width.
const jsonTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// appendJSONRecord appends one JSON log record and its newline.
func appendJSONRecord(dst []byte, now time.Time, service string, stream Stream, line []byte) []byte {
	dst = append(dst, `{"time":"`...)
	dst = now.UTC().AppendFormat(dst, jsonTimeLayout)
	dst = append(dst, `","service":`...)
	dst = appendJSONString(dst, []byte(service))
	dst = append(dst, `,"stream":"`...)
	dst = append(dst, stream.String()...)
	dst = append(dst, `","line":`...)
	dst = appendJSONString(dst, line)
	return append(dst, "}\n"...)
}
