package toml

import (
	"strconv"
	"testing"
)

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
		msg  string
	}{
		// Syntax.
		{"array without comma", "a = [1, 2\n  3]", 2, `expected ',' or ']' after an array element, found '3'`},
		{"array not closed", "a = [1,\n", 2, `expected a value, found end of file`},
		{"inline table without comma", "a = {b = 1 c = 2}", 1, `expected ',' or '}' after a key/value pair in an inline table, found 'c'`},
		{"no value", "a = \nb = 1", 1, `expected a value, found end of line`},
		{"bare word", "restart = always", 1, `expected a value, found "always" (a string needs quotes)`},
		{"two pairs on a line", "a = 1 b = 2", 1, `expected a newline after a key/value pair, found 'b'`},
		{"text after a header", "[a] x", 1, `expected a newline after a table header, found 'x'`},
		{"space in a key", "a b = 1", 1, `expected '.' or '=' after a key, found 'b'`},
		{"no key", "\n= 1", 2, `expected a key, found '='`},
		{"key not ended", "a.", 1, `expected a key, found end of file`},
		{"header not closed", "[a\nb = 1", 1, `expected '.' or ']' after a key in a table header, found end of line`},
		{"array header not closed", "[[a]\n", 1, `expected ']]' at the end of an array-of-tables header, found end of line`},
		{"multi-line key", `"""k""" = 1`, 1, `a key cannot be a multi-line string`},
		{"byte order mark inside", "a = 1\n\uFEFFb = 2", 2, `expected a key, found '\ufeff'`},

		// Text.
		{"control character", "a = 1\nb = \"x\x01\"", 2, `control character '\x01' is not allowed (write it as an escape in a basic string)`},
		{"control character in a comment", "# \x7f", 1, `control character '\x7f' is not allowed (write it as an escape in a basic string)`},
		{"invalid UTF-8", "a = \"\xff\"", 1, `invalid UTF-8 byte "\xff"`},
		{"carriage return alone", "a = 1\rb = 2", 1, `a carriage return ('\r') must be followed by a newline`},

		// Strings.
		{"invalid escape", `s = "a\qb"`, 1, `invalid escape "\q" in a string`},
		{"escaped space", `s = "a\ b"`, 1, `invalid escape "\ " in a string`},
		{"escaped tab", "s = \"a\\\tb\"", 1, `invalid escape in a string: a backslash before '\t'`},
		{"short hex escape", `s = "\x4g"`, 1, `expected 2 hex digits after "\x", found 'g'`},
		{"surrogate escape", `s = "\uD800"`, 1, `invalid escape "\uD800" in a string: not a Unicode scalar value`},
		{"escape beyond Unicode", `s = "\U00110000"`, 1, `invalid escape "\U00110000" in a string: not a Unicode scalar value`},
		{"string not closed", "s = \"abc\nt = 1", 1, `expected '"' at the end of the string, found end of line`},
		{"literal not closed", "s = 'abc", 1, `expected "'" at the end of the string, found end of file`},
		{"multi-line string not closed", "s = \"\"\"\na\nb", 3, `expected '"""' at the end of the string, found end of file`},
		{"escape in a multi-line string", "s = \"\"\"\nok\nbad \\q\"\"\"", 3, `invalid escape "\q" in a string`},
		{"six quotes", `s = """a""""""`, 1, `expected at most 5 '"' in a row in a multi-line string, found 6`},
		{"six apostrophes", `s = '''a''''''`, 1, `expected at most 5 '\'' in a row in a multi-line string, found 6`},

		// Numbers.
		{"integer out of range", "n = 99999999999999999999", 1, `integer 99999999999999999999 is out of range`},
		{"hex out of range", "n = 0xffff_ffff_ffff_ffff", 1, `integer 0xffff_ffff_ffff_ffff is out of range`},
		{"float out of range", "n = 1e400", 1, `float 1e400 is out of range`},
		{"leading zero", "n = 012", 1, `invalid number "012": leading zeros are not allowed`},
		{"double underscore", "n = 1__000", 1, `invalid number "1__000": an underscore must be between two digits`},
		{"no fraction", "n = 1.", 1, `invalid number "1.": expected a digit`},
		{"octal digit", "n = 0o8", 1, `invalid number "0o8": '8' is not a base-8 digit`},

		// Dates and times.
		{"month", "d = 1979-13-01", 1, `invalid date-time "1979-13-01": month must be 01 to 12`},
		{"not a leap year", "d = 2100-02-29", 1, `invalid date-time "2100-02-29": day must be 01 to 28 in that month`},
		{"hour", "d = 24:00:00", 1, `invalid date-time "24:00:00": hour must be 00 to 23`},
		{"second", "d = 1979-05-27T07:32:60Z", 1, `invalid date-time "1979-05-27T07:32:60Z": second must be 00 to 59`},
		{"offset", "d = 1979-05-27T07:32:00+24:00", 1, `invalid date-time "1979-05-27T07:32:00+24:00": offset hour must be 00 to 23`},
		{"offset form", "d = 1979-05-27T07:32:00+0700", 1, `invalid date-time "1979-05-27T07:32:00+0700": expected Z or an offset as +hh:mm after the time`},
		{"time with offset", "d = 07:32:00Z", 1, `invalid date-time "07:32:00Z": a local time cannot have an offset or more after it`},

		// Defining keys and tables once.
		{"duplicate key", "port = 1\nport = 2", 2, `duplicate key "port" (first defined on line 1)`},
		{"duplicate dotted key", "a.b = 1\na.b = 2", 2, `duplicate key "a.b" (first defined on line 1)`},
		{"quoted duplicate", "a = 1\n\"a\" = 2", 2, `duplicate key "a" (first defined on line 1)`},
		{"key over a table", "a.b = 1\na = 2", 2, `cannot define key "a": "a" is already a table (line 1)`},
		{"table twice", "# services\n\n[service.web]\n[service.web]", 4, `table "service.web" is defined twice (first on line 3)`},
		{"table after dotted keys", "a.b = 1\n[a]", 2, `table "a" is defined twice (first by dotted keys on line 1)`},
		{"dotted key into a header's table", "[a.b]\n[a]\nb.c = 1", 3, `dotted key "b.c" cannot add to table "a.b", defined by a header on line 1`},
		{"dotted key into a deeper header's table", "[s.a.b]\n[s.a]\nb.c.d = 1", 3, `dotted key "b.c.d" cannot add to table "s.a.b", defined by a header on line 1`},
		{"key through a value", "a = 1\na.b = 2", 2, `cannot define key "a.b": "a" is already a value (line 1)`},
		{"inline table extended by a key", "a = {b = 1}\na.c = 2", 2, `cannot define key "a.c": "a" is already an inline table (line 1)`},
		{"inline table extended by a header", "a = {}\n[a.b]", 2, `cannot define table "a.b": "a" is already an inline table (line 1)`},
		{"static array extended", "a = []\n[[a]]", 2, `cannot define array of tables "a": "a" is already a static array (line 1)`},
		{"table in a static array", "a = [{}]\n[a.b]", 2, `cannot define table "a.b": "a" is already a static array (line 1)`},
		{"table over an array of tables", "[[a]]\n[a]", 2, `cannot define table "a": "a" is already an array of tables (line 1)`},
		{"array of tables over a table", "[a]\n[[a]]", 2, `cannot define array of tables "a": "a" is already a table (line 1)`},
		{"dotted key into an array of tables", "[[a.b]]\n[a]\nb.c = 1", 3, `cannot define key "b.c": "b" is already an array of tables (line 1)`},
		{"quoted parts in a message", "'x.y'.z = 1\n'x.y'.z = 2", 2, `duplicate key "\"x.y\".z" (first defined on line 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), Limits{})
			checkErrorIs(t, []byte(tt.doc), err, tt.line, tt.msg)
			if got, want := err.Error(), "line "+strconv.Itoa(tt.line)+": "+tt.msg; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
		})
	}
}
