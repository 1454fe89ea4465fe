package services

import (
	"errors"

	"github.com/BurntSushi/toml"
)

// The TOML decoder knows where each key is but does not say: its MetaData
// keeps positions private, and only an error raised while decoding a key
// (a ParseError) carries that key's Position. So the lines come from two
// sources that agree (a test checks it on every example and fuzz input):
//
//   - keyLines: scanTOML's pass over the text, which finds where each key
//     begins in document order, zipped with MetaData.Keys(), which lists
//     the same keys in the same order. A table that only exists because of a deeper key
//     ([service.web.health] without [service.web]) gets the first such
//     key's line.
//   - probeLine: the decoder's own answer, got by decoding down to the key
//     into a type that fails there. It costs a copy of the file per key, so
//     it is the fallback when the two key lists disagree.

// keyLines holds the line of each key of a document, in a trie of key
// parts so that deep keys cost no more than their length.
type keyLines struct {
	child map[keyEdge]int // node and part → node; node 0 is the document
	lines []int           // per node; 0 when unknown
}

type keyEdge struct {
	node int
	part string
}

// newKeyLines indexes the keys of a document the decoder accepted, given
// the lines scanTOML found; it is empty if scanTOML did not find as many
// keys as the decoder did.
func newKeyLines(lines []int, keys []toml.Key) *keyLines {
	k := &keyLines{child: map[keyEdge]int{}, lines: []int{0}}
	if len(lines) != len(keys) {
		return k
	}
	ends := make([]int, len(keys))
	for i, key := range keys {
		ends[i] = k.add(key)
		if k.lines[ends[i]] == 0 {
			k.lines[ends[i]] = lines[i]
		}
	}
	// Then the tables defined only by deeper keys: the first such key.
	for i, key := range keys {
		node := 0
		for _, part := range key[:len(key)-1] {
			node = k.child[keyEdge{node, part}]
			if k.lines[node] == 0 {
				k.lines[node] = lines[i]
			}
		}
	}
	return k
}

// add inserts key's path and returns its node.
func (k *keyLines) add(key toml.Key) int {
	node := 0
	for _, part := range key {
		next, ok := k.child[keyEdge{node, part}]
		if !ok {
			next = len(k.lines)
			k.lines = append(k.lines, 0)
			k.child[keyEdge{node, part}] = next
		}
		node = next
	}
	return node
}

// line returns the line of the key at path, or 0 if it is not known.
func (k *keyLines) line(path []string) int {
	node := 0
	for _, part := range path {
		next, ok := k.child[keyEdge{node, part}]
		if !ok {
			return 0
		}
		node = next
	}
	return k.lines[node]
}

// errLineProbe makes the decoder stop, and report where, at a key.
var errLineProbe = errors.New("line probe")

type lineProbe struct{}

func (*lineProbe) UnmarshalTOML(any) error { return errLineProbe }

// probeLine asks the decoder for the line of the key at path: it decodes
// the document again down to that key, into a type that refuses it. A
// table with no line of its own gets the first line of its keys.
func probeLine(data []byte, path []string) int {
	var root map[string]toml.Primitive
	md, err := toml.Decode(string(data), &root)
	if err != nil || len(path) == 0 {
		return 0
	}
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
	return probePrimitive(&md, prim)
}

func probePrimitive(md *toml.MetaData, prim toml.Primitive) int {
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
