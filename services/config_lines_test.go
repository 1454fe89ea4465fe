package services

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// trickyTOML holds documents whose keys are hard to find by scanning: '['
// and '=' inside strings and comments, multi-line strings and values,
// quoted keys, dotted keys, arrays of tables.
var trickyTOML = []string{
	"a = 1\nb = 2\n",
	"[t]\nx = \"=[\"\n[[arr]]\ny = 1\n[[arr]]\ny = 2\n",
	"s = \"\"\"\n[not.a.table]\nk = v\n\"\"\"\nafter = 1\n",
	"s = '''\n[x]\n= '''\nt = 2\n",
	"m = \"\"\"a\\\n  b\"\"\"\"\"\nn = 1\n",
	"q = \"say \\\"hi\\\" = [\"\n[\"we]ird\".'k=v']\nz = 1\n",
	"arr = [\n  [1, 2],\n  # comment = [\n  { a = 1, b = { c = 2 } },\n]\n[next]\nk = 1\n",
	"inline = { a = 1,\n  b = 2, # comment\n  c = [3,\n 4] }\nx = 5\n",
	"a.b.c = 1\na.d = 2\n[e.f.g]\nh = 3\n",
	"# [commented]\n  [  spaced . table  ]  # c\n  key   =   \"v\"\n",
	"\"quoted key\" = 1\n'lit=key' = 2\n\"\" = 3\n",
	"date = 1979-05-27T07:32:00Z\nlocal = 07:32:00\nf = 1e10\nhex = 0xdead_beef\n",
	"[a]\n[a.b]\n[[a.c]]\nd = \"\"\"\"\"\"\n[[a.c]]\ne = ''''''\n",
	"s = \"\"\"one\ntwo\nthree\"\"\"\nt = '''x\ny'''\n[u]\nv = 1\n",
	"crlf = 1\r\n[t]\r\nx = \"a\"\r\n",
}

// TestKeyLinesMatchDecoder checks the scanner against the decoder's own
// positions, on tricky documents and on every configuration in testdata
// and examples.
func TestKeyLinesMatchDecoder(t *testing.T) {
	docs := map[string][]byte{}
	for i, s := range trickyTOML {
		docs["tricky"+string(rune('a'+i))] = []byte(s)
	}
	for _, pattern := range []string{"testdata/*/*.toml", "testdata/*.toml", "../examples/*.toml"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[f] = data
		}
	}
	for name, data := range docs {
		if _, bad, _ := scanTOML(data); bad > 0 {
			continue // beyond the shape limits: never decoded
		}
		var doc map[string]any
		md, err := toml.Decode(string(data), &doc)
		if err != nil {
			continue // syntax errors have no key lines
		}
		compareKeyLines(t, name, data, md)
	}
}

// compareKeyLines fails if the scanner and the decoder disagree on where a
// key (or an implicit table) is. Two differences are by design: the
// decoder places a string that spans lines at its last line, and an array
// of tables at its last [[header]]; keyLines gives the key's first line.
func compareKeyLines(t *testing.T, name string, data []byte, md toml.MetaData) {
	t.Helper()
	lines, bad, msg := scanTOML(data)
	if bad > 0 {
		t.Fatalf("%s: scanTOML: line %d: %s", name, bad, msg)
	}
	if got, want := len(lines), len(md.Keys()); got != want {
		t.Fatalf("%s: scanTOML found %d keys, want %d", name, got, want)
	}
	index := newKeyLines(lines, md.Keys())
	for _, k := range md.Keys() {
		for j := 1; j <= len(k); j++ {
			path := k[:j]
			got, want := index.line(path), probeLine(data, path)
			if want == 0 {
				continue // inside an array of tables: the probe cannot reach it
			}
			if got != want && !(laterByDesign(md, path) && got < want) {
				t.Errorf("%s: key %s: line %d, the decoder says %d", name, path, got, want)
			}
		}
	}
}

// laterByDesign reports whether the decoder places path after its first
// line: a multi-line string, or a table holding an array of tables.
func laterByDesign(md toml.MetaData, path toml.Key) bool {
	if md.Type(path...) == "String" {
		return true
	}
	for _, k := range md.Keys() {
		if len(k) >= len(path) && k[:len(path)].String() == path.String() && md.Type(k...) == "ArrayHash" {
			return true
		}
	}
	return false
}

// FuzzKeyLines checks the scanner against the decoder on any document the
// decoder accepts.
func FuzzKeyLines(f *testing.F) {
	for _, s := range trickyTOML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, bad, _ := scanTOML(data); len(data) > 4096 || bad > 0 {
			return // the decoder is slow on deep keys; Parse refuses them first
		}
		var doc map[string]any
		md, err := toml.Decode(string(data), &doc)
		if err != nil {
			return
		}
		compareKeyLines(t, "input", data, md)
	})
}

func TestLineOfUnknownPath(t *testing.T) {
	_, err := parse("x.toml", []byte("[service.a]\ncommand = [\"/bin/true\"]\nafter = [\"b\"]\n"), noFiles)
	ce, ok := err.(*ConfigError)
	if !ok || len(ce.Problems) != 1 {
		t.Fatalf("parse: %v, want one problem", err)
	}
	if got, want := ce.Problems[0].Line, 3; got != want {
		t.Errorf("line of the unknown dependency: got %d, want %d", got, want)
	}
	if !strings.Contains(ce.Problems[0].Msg, `unknown service "b"`) {
		t.Errorf("message %q does not name the unknown service", ce.Problems[0].Msg)
	}
}

// noFiles is a readFile that finds no file.
func noFiles(path string) ([]byte, error) { return nil, os.ErrNotExist }
