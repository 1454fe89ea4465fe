package toml

import (
	"fmt"
	"strings"
	"testing"
)

func TestLimits(t *testing.T) {
	const parts3 = "a key has more than 3 dotted parts, the limit"
	const nest3 = "arrays and inline tables nest more than 3 deep, the limit"
	tests := []struct {
		name     string
		doc      string
		lim      Limits
		wantLine int // 0: accepted
		wantMsg  string
	}{
		{"key at the limit", "a.b.c = 1\n", Limits{KeyParts: 3}, 0, ""},
		{"key over the limit", "x = 1\na.b.c.d = 1\n", Limits{KeyParts: 3}, 2, parts3},
		{"quoted parts count", "'a'.\"b\" . c.d = 1\n", Limits{KeyParts: 3}, 1, parts3},
		{"header at the limit", "[a.b.c]\n", Limits{KeyParts: 3}, 0, ""},
		{"header over the limit", "\n[a.b.c.d]\n", Limits{KeyParts: 3}, 2, parts3},
		{"array-of-tables header over the limit", "[[a.b.c.d]]\n", Limits{KeyParts: 3}, 1, parts3},
		{"key in an inline table over the limit", "t = {\n  a.b.c.d = 1 }\n", Limits{KeyParts: 3}, 2, parts3},
		{"limit per key, not per path", "[a.b.c]\nd.e.f = 1\n", Limits{KeyParts: 3}, 0, ""},
		{"no key limit", strings.Repeat("a.", 1000) + "a = 1\n", Limits{}, 0, ""},
		{"arrays at the limit", "a = [[[1]]]\n", Limits{Nesting: 3}, 0, ""},
		{"arrays over the limit", "a = [[[[1]]]]\n", Limits{Nesting: 3}, 1, nest3},
		{"inline tables at the limit", "a = {b = {c = {}}}\n", Limits{Nesting: 3}, 0, ""},
		{"inline tables over the limit", "a = {b = {c = {d = {}}}}\n", Limits{Nesting: 3}, 1, nest3},
		{"mixed at the limit", "a = [{b = [1]}, {c = [2]}]\n", Limits{Nesting: 3}, 0, ""},
		{"mixed over the limit", "a = [\n{b = [\n{}]}]\n", Limits{Nesting: 3}, 3, nest3},
		{"dotted keys do not nest", "a = {b.c.d.e = 1}\n", Limits{Nesting: 1}, 0, ""},
		{"headers do not nest", "[a.b.c.d]\nx = [1]\n", Limits{Nesting: 1}, 0, ""},
		{"no nesting limit", "a = " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n", Limits{}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), tt.lim)
			checkErrorIs(t, []byte(tt.doc), err, tt.wantLine, tt.wantMsg)
		})
	}
}

// checkErrorIs checks that err is nil when wantLine is 0, and else an
// *Error with that line and message.
func checkErrorIs(t *testing.T, data []byte, err error, wantLine int, wantMsg string) {
	t.Helper()
	if wantLine == 0 {
		if err != nil {
			t.Fatalf("got %v, want no error", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got no error, want line %d: %s", wantLine, wantMsg)
	}
	checkError(t, data, err)
	if e := err.(*Error); e.Line != wantLine || e.Msg != wantMsg {
		t.Fatalf("got line %d: %s\nwant line %d: %s", e.Line, e.Msg, wantLine, wantMsg)
	}
	if e, limit := err.(*Error), strings.HasSuffix(wantMsg, ", the limit"); e.Limit != limit {
		t.Fatalf("%v: Limit is %v, want %v", e, e.Limit, limit)
	}
}

// TestHugeInputs feeds megabyte documents that would blow the stack or
// take quadratic time in a careless parser: they must end, quickly, with
// an error or a result.
func TestHugeInputs(t *testing.T) {
	const mb = 1 << 20
	deep := "a = " + strings.Repeat("[", mb)
	dotted := strings.Repeat("a.", mb/2) + "a = 1\n"
	tests := []struct {
		name     string
		doc      string
		lim      Limits
		wantLine int
		wantMsg  string
	}{
		{"deep arrays", deep, Limits{Nesting: 8}, 1, "arrays and inline tables nest more than 8 deep, the limit"},
		{"deep arrays on line 3", "\n\n" + deep, Limits{Nesting: 8}, 3, "arrays and inline tables nest more than 8 deep, the limit"},
		{"deep inline tables", "a = " + strings.Repeat("{b=", mb/3), Limits{Nesting: 8}, 1, "arrays and inline tables nest more than 8 deep, the limit"},
		{"deep arrays, no limit", deep, Limits{}, 1, "arrays and inline tables nest more than 10000 deep, the limit"},
		{"long dotted key", dotted, Limits{KeyParts: 16}, 1, "a key has more than 16 dotted parts, the limit"},
		{"long dotted key, no limit", dotted, Limits{}, 0, ""},
		{"long dotted header, no limit", "[" + dotted[:len(dotted)-7] + "]\n", Limits{}, 0, ""},
		{"many keys", manyKeys(50000), Limits{}, 0, ""},
		{"many tables", manyTables(50000), Limits{}, 0, ""},
		{"long string", "s = \"" + strings.Repeat("ab\\u00e9", mb/8) + "\"\n", Limits{}, 0, ""},
		{"long multi-line string", "s = '''" + strings.Repeat("ab'' \n", mb/6) + "'''\n", Limits{}, 0, ""},
		{"long comment", "#" + strings.Repeat("x", mb) + "\na = 1", Limits{}, 0, ""},
		{"many quotes", "s = \"\"\"" + strings.Repeat("\"", mb), Limits{}, 1, "expected at most 5 '\"' in a row in a multi-line string, found 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), tt.lim)
			checkErrorIs(t, []byte(tt.doc), err, tt.wantLine, tt.wantMsg)
		})
	}
}

// manyKeys returns n key/value pairs with different keys.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d = %d\n", i, i)
	}
	return b.String()
}

// manyTables returns n tables and n elements of an array of tables.
func manyTables(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[t.s%d]\nk = 1\n[[a.b]]\n", i)
	}
	return b.String()
}
