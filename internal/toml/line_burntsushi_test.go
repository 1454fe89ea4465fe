package toml

import (
	"errors"
	"testing"

	"github.com/BurntSushi/toml"
)

// BurntSushi/toml knows where each key is but keeps it private; only an
// error raised while decoding a key (a ParseError) carries that key's
// Position. burntSushiLine gets it by decoding down to the key into a type
// that fails there. Document.Line is checked against it on the suite and
// in the fuzzer.

// errLineProbe makes the decoder stop, and report where, at a key.
var errLineProbe = errors.New("line probe")

type lineProbe struct{}

func (*lineProbe) UnmarshalTOML(any) error { return errLineProbe }

// burntSushiLine is BurntSushi's line for the key at path, 0 where the
// probe cannot reach (inside an array of tables). A table with no line of
// its own gets the first line of its keys.
func burntSushiLine(md *toml.MetaData, root map[string]toml.Primitive, path []string) int {
	prim, ok := root[path[0]]
	for _, k := range path[1:] {
		var m map[string]toml.Primitive
		if !ok || md.PrimitiveDecode(prim, &m) != nil {
			return 0
		}
		prim, ok = m[k]
	}
	if !ok {
		return 0
	}
	if l := probeOwn(md, prim); l > 0 {
		return l
	}
	return probeFirst(md, prim)
}

// probeOwn is the line the decoder keeps for the key, 0 for a table that
// only deeper keys define.
func probeOwn(md *toml.MetaData, prim toml.Primitive) int {
	var pe toml.ParseError
	if errors.As(md.PrimitiveDecode(prim, &lineProbe{}), &pe) {
		return pe.Position.Line
	}
	return 0
}

// probeFirst is the first line of the key or any key below it.
func probeFirst(md *toml.MetaData, prim toml.Primitive) int {
	first := probeOwn(md, prim)
	var m map[string]toml.Primitive
	if md.PrimitiveDecode(prim, &m) != nil {
		return first
	}
	for _, p := range m {
		if l := probeFirst(md, p); l > 0 && (first == 0 || l < first) {
			first = l
		}
	}
	return first
}

// compareLines fails if Document.Line and BurntSushi disagree on where a
// key or a table is. Some differences are by design (laterByDesign):
// BurntSushi can place a key after its first line, where Line gives the
// first.
func compareLines(t *testing.T, doc *Document, data []byte) {
	t.Helper()
	var root map[string]toml.Primitive
	md, err := toml.Decode(string(data), &root)
	if err != nil {
		return
	}
	for _, k := range md.Keys() {
		for j := 1; j <= len(k); j++ {
			path := k[:j]
			want := burntSushiLine(&md, root, path)
			if want == 0 {
				continue // inside an array of tables: the probe cannot reach it
			}
			got := doc.Line(path...)
			if got != want && !(laterByDesign(md, path) && got < want) {
				t.Fatalf("Line(%q) = %d, BurntSushi says %d\ninput: %q", path, got, want, data)
			}
		}
	}
}

// laterByDesign reports whether BurntSushi may place path after its first
// line: it places a string at its last line, an array of tables at its
// last [[header]], a table holding an empty key ("" = 1) at that key's
// line, and a table made by dotted keys at the line it gives its key.
func laterByDesign(md toml.MetaData, path toml.Key) bool {
	for _, k := range md.Keys() {
		if len(k) < len(path) || k[:len(path)].String() != path.String() {
			continue
		}
		if t := md.Type(k...); t == "String" || t == "ArrayHash" || len(k) > len(path) && k[len(path)] == "" {
			return true
		}
	}
	return false
}

// TestLinesMatchBurntSushi compares the lines of every key of the valid
// suite and of the tricky inputs with BurntSushi's.
func TestLinesMatchBurntSushi(t *testing.T) {
	docs := validDocs(t)
	for i, s := range trickyInputs {
		docs["tricky"+string(rune('a'+i))] = []byte(s)
	}
	for name, data := range docs {
		doc, err := Parse(data, Limits{})
		if err != nil {
			continue // TestSuite and FuzzParse check what is refused
		}
		t.Run(name, func(t *testing.T) { compareLines(t, doc, data) })
	}
}
