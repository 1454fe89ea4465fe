package toml

import "strconv"

// Parse decodes a TOML 1.1 document.
func Parse(data []byte, lim Limits) (*Document, error) {
	p := &parser{src: string(data), line: 1, lim: lim, root: newTable()}
	p.cur = p.root
	if err := p.document(); err != nil {
		return nil, err
	}
	return &Document{Root: p.root.vals, root: p.root}, nil
}

// Limits bounds what one document may ask of the parser.
type Limits struct {
	KeyParts int // most dotted parts in one key or table header (0: no limit)
	Nesting  int // most arrays/inline tables inside each other (0: none below the parser's own, 10000)
}

// maxNesting bounds nesting when Limits.Nesting is 0: the parser recurses
// once per level, and a stack overflow is a crash that no caller can handle.
const maxNesting = 10000

// Document is a decoded TOML document.
type Document struct {
	// Root holds the top-level table. Values are string, int64, float64,
	// bool, Datetime, []any (arrays), map[string]any (tables and inline
	// tables) and []map[string]any (arrays of tables).
	Root map[string]any
	root *table // how and where each key was defined
}

// Line returns the line (1-based) where the key or table at path is
// defined. A table that only deeper keys or headers define ([a.b.c]
// without [a] or [a.b], or a.b = 1 defining a) gets the line of the first
// of those. An array of tables is at its first [[header]]. Line is 0 for
// a path not in the document, and for keys inside the elements of an
// array of tables or of an inline array, which no path can name.
func (d *Document) Line(path ...string) int {
	if d == nil || len(path) == 0 {
		return 0
	}
	t := d.root
	for i, name := range path {
		e, ok := t.keys[name]
		switch {
		case !ok:
			return 0
		case i == len(path)-1:
			return e.line
		case e.sub == nil || e.kind == kindArray:
			return 0 // a value, or inside an array of tables
		}
		t = e.sub
	}
	return 0
}

// Error is a syntax error or an exceeded limit.
type Error struct {
	Line  int    // 1-based
	Msg   string // one line, no "line N:" prefix; what the input holds is quoted with escapes (\n, \x00), never raw
	Limit bool   // the document went beyond Limits (it may be valid TOML)
}

// Error returns "line N: Msg".
func (e *Error) Error() string {
	return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Datetime is an offset date-time, local date-time, local date or local time.
type Datetime struct {
	Kind DatetimeKind
	// Text is the value in RFC 3339 form as written, normalised as
	// toml-test expects: 'T' between date and time, seconds added when
	// left out (":00"), 'Z' in upper case. Fractional seconds are kept as
	// written, every digit.
	Text string
}

// String returns d.Text.
func (d Datetime) String() string { return d.Text }

// DatetimeKind says which of the four TOML date and time types a Datetime is.
type DatetimeKind uint8

// The kinds of Datetime, with an example of each.
const (
	OffsetDatetime DatetimeKind = iota + 1 // 1979-05-27T07:32:00-07:00
	LocalDatetime                          // 1979-05-27T07:32:00
	LocalDate                              // 1979-05-27
	LocalTime                              // 07:32:00
)

// String returns the kind's name in toml-test's JSON: "datetime",
// "datetime-local", "date-local" or "time-local".
func (k DatetimeKind) String() string {
	switch k {
	case OffsetDatetime:
		return "datetime"
	case LocalDatetime:
		return "datetime-local"
	case LocalDate:
		return "date-local"
	case LocalTime:
		return "time-local"
	}
	return "DatetimeKind(" + strconv.Itoa(int(k)) + ")"
}
