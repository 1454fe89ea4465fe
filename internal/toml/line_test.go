package toml

import (
	"strings"
	"testing"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		path []string
		want int
	}{
		{"key", "a = 1\nb = 2\n", []string{"b"}, 2},
		{"missing key", "a = 1\n", []string{"b"}, 0},
		{"no path", "a = 1\n", nil, 0},
		{"quoted key", "\n'a.b' = 1\n", []string{"a.b"}, 2},
		{"dotted key", "\n\na.b.c = 1\n", []string{"a", "b", "c"}, 3},
		{"table made by a dotted key", "x = 1\na.b.c = 1\na.d = 2\n", []string{"a"}, 2},
		{"table made by a dotted key, deeper", "x = 1\na.b.c = 1\na.b.d = 2\n", []string{"a", "b"}, 2},
		{"dotted key in a section", "[t]\n\nx.y = 1\n", []string{"t", "x", "y"}, 3},
		{"header", "[a]\nx = 1\n[b]\ny = 2\n", []string{"b"}, 3},
		{"key under a header", "[a]\nx = 1\n[b]\ny = 2\n", []string{"b", "y"}, 4},
		{"dotted header", "[a]\n[a.b]\n", []string{"a", "b"}, 2},
		{"implicit super-table", "# c\n[a.b.c]\nx = 1\n[a.b.d]\n", []string{"a", "b"}, 2},
		{"implicit super-table, top", "# c\n[a.b.c]\nx = 1\n[a.b.d]\n", []string{"a"}, 2},
		{"super-table defined later", "[a.b]\n\n[a]\n", []string{"a"}, 3},
		{"implicit table extended by dotted keys", "[a.b.c]\n[a]\nb.d = 1\n", []string{"a", "b"}, 1},
		{"key added by dotted keys", "[a.b.c]\n[a]\nb.d = 1\n", []string{"a", "b", "d"}, 3},
		{"inline table", "a = { b = 1 }\n", []string{"a"}, 1},
		{"key in an inline table", "x = 1\na = { b = 1 }\n", []string{"a", "b"}, 2},
		{"multi-line inline table", "a = {\n  b = 1,\n  c = { d = 2 },\n}\n", []string{"a", "c", "d"}, 3},
		{"dotted key in an inline table", "a = {\n  b.c = 1,\n}\n", []string{"a", "b"}, 2},
		{"after a multi-line string", "s = \"\"\"\none\ntwo\n\"\"\"\nk = 1\n", []string{"k"}, 5},
		{"after a multi-line literal", "s = '''\none\n'''\nk = 1\n", []string{"k"}, 4},
		{"after a line-ending backslash", "s = \"\"\"a \\\n\n  b\"\"\"\nk = 1\n", []string{"k"}, 4},
		{"after a multi-line array", "a = [\n  1, # one\n  2,\n]\nb = 1\n", []string{"b"}, 5},
		{"after a comment with quotes", "# \"\"\"\nb = 1\n", []string{"b"}, 2},
		{"CRLF", "a = 1\r\n\r\n[t]\r\nb = \"\"\"\r\nx\r\n\"\"\"\r\nc = 2\r\n", []string{"t", "c"}, 7},
		{"byte order mark", "\uFEFFa = 1\nb = 2\n", []string{"b"}, 2},
		{"array of tables", "x = 1\n[[s]]\na = 1\n[[s]]\na = 2\n", []string{"s"}, 2},
		{"array of tables under a table", "[t]\n[[t.s]]\n[[t.s]]\n", []string{"t", "s"}, 2},
		{"inside an array of tables", "[[s]]\na = 1\n", []string{"s", "a"}, 0},
		{"inside an inline array", "a = [{ b = 1 }]\n", []string{"a", "b"}, 0},
		{"inside a value", "a = 1\n", []string{"a", "b"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse([]byte(tt.doc), Limits{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := doc.Line(tt.path...); got != tt.want {
				t.Errorf("Line(%q) = %d, want %d", strings.Join(tt.path, "."), got, tt.want)
			}
		})
	}
}

// TestLineEveryKey checks Line against the line of each key's text in a
// document with one key per line.
func TestLineEveryKey(t *testing.T) {
	doc := "title = 'x'\n[owner]\nname = 'Tom'\n\n[database]\nports = [ 8000,\n  8001 ]\nenabled = true\n[servers.alpha]\nip = '10.0.0.1'\n"
	d, err := Parse([]byte(doc), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"title": 1, "owner": 2, "owner.name": 3, "database": 5, "database.ports": 6,
		"database.enabled": 8, "servers": 9, "servers.alpha": 9, "servers.alpha.ip": 10}
	for path, line := range want {
		if got := d.Line(strings.Split(path, ".")...); got != line {
			t.Errorf("Line(%s) = %d, want %d", path, got, line)
		}
	}
}

func TestLineNilDocument(t *testing.T) {
	var d *Document
	if got := d.Line("a"); got != 0 {
		t.Errorf("nil Document: Line = %d, want 0", got)
	}
}
