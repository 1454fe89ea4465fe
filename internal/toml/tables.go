package toml

// A table's keys may be defined once. What may happen to a key later
// depends on how it was defined, so each key keeps an entry beside its
// value; the entries also give Document.Line its answers.

// kind says how a key was defined.
type kind uint8

const (
	kindValue    kind = iota // key = value, arrays included: final
	kindInline               // key = { ... }: final, with all inside it
	kindImplicit             // a table made only by deeper headers: a [header] or dotted keys may still define it
	kindHeader               // a table defined by its [header]
	kindDotted               // a table defined by dotted keys: more dotted keys may add to it
	kindArray                // an array of tables; sub is its last element
)

// entry records how and where a key was defined.
type entry struct {
	kind kind
	line int
	sub  *table // the table the key names, if it names one
}

// table is a table being built: its values, as the caller gets them, and
// an entry for each key.
type table struct {
	vals map[string]any
	keys map[string]entry
}

func newTable() *table {
	return &table{vals: map[string]any{}, keys: map[string]entry{}}
}

// set adds key name with value v.
func (t *table) set(name string, v any, e entry) {
	t.vals[name] = v
	t.keys[name] = e
}

// addTable adds an empty table under name.
func (t *table) addTable(name string, e entry) *table {
	e.sub = newTable()
	t.set(name, e.sub.vals, e)
	return e.sub
}

// defineTable defines the table a [header] names.
func (p *parser) defineTable(parts []string) (*table, error) {
	t, err := p.headerParent(parts)
	if err != nil {
		return nil, err
	}
	name := parts[len(parts)-1]
	e, ok := t.keys[name]
	switch {
	case !ok:
		return t.addTable(name, entry{kind: kindHeader, line: p.line}), nil
	case e.kind == kindImplicit:
		e.kind, e.line = kindHeader, p.line
		t.keys[name] = e
		return e.sub, nil
	case e.kind == kindHeader:
		return nil, p.errorf("table %s is defined twice (first on line %d)", keyText(parts), e.line)
	case e.kind == kindDotted:
		return nil, p.errorf("table %s is defined twice (first by dotted keys on line %d)", keyText(parts), e.line)
	}
	return nil, p.conflict("table", parts, parts, e, t.vals[name])
}

// appendTable adds a new table to the array of tables a [[header]] names.
func (p *parser) appendTable(parts []string) (*table, error) {
	t, err := p.headerParent(parts)
	if err != nil {
		return nil, err
	}
	name := parts[len(parts)-1]
	e, ok := t.keys[name]
	elem := newTable()
	switch {
	case !ok:
		t.set(name, []map[string]any{elem.vals}, entry{kind: kindArray, line: p.line, sub: elem})
	case e.kind == kindArray:
		t.vals[name] = append(t.vals[name].([]map[string]any), elem.vals)
		e.sub = elem
		t.keys[name] = e
	default:
		return nil, p.conflict("array of tables", parts, parts, e, t.vals[name])
	}
	return elem, nil
}

// headerParent finds or makes the tables a header's key goes through; a
// header may go through any table but an inline one, and through the last
// element of an array of tables.
func (p *parser) headerParent(parts []string) (*table, error) {
	t := p.root
	for i, name := range parts[:len(parts)-1] {
		e, ok := t.keys[name]
		switch {
		case !ok:
			t = t.addTable(name, entry{kind: kindImplicit, line: p.line})
			continue
		case e.kind == kindValue || e.kind == kindInline:
			return nil, p.conflict("table", parts, parts[:i+1], e, t.vals[name])
		}
		t = e.sub
	}
	return t, nil
}

// dottedParent finds or makes the tables the first parts of a dotted key
// name inside t. Dotted keys may not add to a table that a [header]
// defined. They cannot reach a table that dotted keys made in another
// section: each table is the current one of one section at most.
func (p *parser) dottedParent(t *table, parts []string) (*table, error) {
	for i, name := range parts[:len(parts)-1] {
		e, ok := t.keys[name]
		switch {
		case !ok:
			t = t.addTable(name, entry{kind: kindDotted, line: p.line})
			continue
		case e.kind == kindImplicit:
			e.kind = kindDotted // now a [header] may not define it
			t.keys[name] = e
		case e.kind == kindDotted:
		case e.kind == kindHeader: // only sections' tables hold headers' tables
			table := append(p.path[:len(p.path):len(p.path)], parts[:i+1]...)
			return nil, p.errorf("dotted key %s cannot add to table %s, defined by a header on line %d",
				keyText(parts), keyText(table), e.line)
		default:
			return nil, p.conflict("key", parts, parts[:i+1], e, t.vals[name])
		}
		t = e.sub
	}
	return t, nil
}

// conflict reports that what (a key or table named full) cannot be defined
// because the key prefix is already something else.
func (p *parser) conflict(what string, full, prefix []string, e entry, v any) error {
	return p.errorf("cannot define %s %s: %s is already %s (line %d)",
		what, keyText(full), keyText(prefix), describe(e, v), e.line)
}

// describe names what an entry defined, for messages.
func describe(e entry, v any) string {
	switch e.kind {
	case kindValue:
		if _, ok := v.([]any); ok {
			return "a static array"
		}
		return "a value"
	case kindInline:
		return "an inline table"
	case kindArray:
		return "an array of tables"
	}
	return "a table"
}
