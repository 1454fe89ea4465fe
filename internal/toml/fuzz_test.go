package toml

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	bstoml "github.com/BurntSushi/toml"
)

// FuzzParse checks Parse against github.com/BurntSushi/toml, the decoder
// it replaces: for any input both accept or both refuse, and when both
// accept they decode the same values. The differences by design are in
// deliberate.
func FuzzParse(f *testing.F) {
	for _, data := range validDocs(f) {
		f.Add(data)
	}
	for _, s := range trickyInputs {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, Limits{})
		if err != nil {
			checkError(t, data, err)
		} else {
			checkLines(t, doc, data)
		}
		checkLimited(t, data, doc, err)
		want, wantErr := decodeBurntSushi(data)
		switch {
		case wantErr == errPanicked:
			return // BurntSushi's bug, not ours: nothing to compare with
		case err == nil && wantErr == nil:
			if msg := sameValue("", want, doc.Root); msg != "" {
				t.Fatalf("decoded differently: %s\ninput: %q", msg, data)
			}
			compareLines(t, doc, data)
		case err != nil && wantErr == nil:
			if why := deliberate(data, err.(*Error)); why == "" {
				t.Fatalf("refused what BurntSushi accepts: %v\ninput: %q", err, data)
			}
		case err == nil && wantErr != nil:
			t.Fatalf("accepted what BurntSushi refuses (%v), giving %s\ninput: %q", wantErr, jsonText(tagged(doc.Root)), data)
		}
	})
}

// trickyInputs seed the fuzzer with corners of the grammar.
var trickyInputs = []string{
	"a = \"\"\"\r\nx\\\r\n  y\"\"\"\r\n",
	"a = '''''''\nb = \"\"\"\"\"\"\"",
	"a = 1979-05-27 07:32\nb = 07:32\nc = 1979-05-27t07:32:00.123456789123z",
	"[a.b.c]\n[a]\nb.d = 1\n",
	"[[a]]\n[a.b]\n[[a]]\n[a.b]\n",
	"a = { b.c = 1, b.d = [ {e = 2}, ], }\n",
	"a = [\n  1, # one\n  2,\n]\n",
	"\uFEFFa = \"\\x41\\u00e9\\U0001F600\\e\"",
	"a = -nan\nb = +inf\nc = -0.0\nd = 0x_1\ne = 1_0e-0_1",
	"a = 9223372036854775807\nb = -9223372036854775808\nc = 9223372036854775808",
	"\"\" = 1\n'a.b'.\"\\u0063\" = 2",
	"a.b = 1\n[a]\n",
	"a = 2000-02-29\nb = 1900-02-29",
	"a = 1979-05-27T07:32:00+24:00",
	`a = """\""""""`,
	"[a]\nb = 1\n[a.b]\n",
}

var errPanicked = fmt.Errorf("BurntSushi/toml panicked")

// decodeBurntSushi decodes data with BurntSushi/toml, converting its
// values to Parse's: time.Time to Datetime.
func decodeBurntSushi(data []byte) (v map[string]any, err error) {
	defer func() {
		if recover() != nil {
			v, err = nil, errPanicked
		}
	}()
	var m map[string]any
	if _, err := bstoml.Decode(string(data), &m); err != nil {
		return nil, err
	}
	return fromBurntSushi(m).(map[string]any), nil
}

func fromBurntSushi(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = fromBurntSushi(x)
		}
		return m
	case []map[string]any:
		a := make([]map[string]any, len(v))
		for i, x := range v {
			a[i] = fromBurntSushi(x).(map[string]any)
		}
		return a
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = fromBurntSushi(x)
		}
		return a
	case time.Time:
		// BurntSushi marks the local kinds by the name of their location.
		switch v.Location().String() {
		case "datetime-local":
			return Datetime{LocalDatetime, v.Format(datetimeLayouts["datetime-local"])}
		case "date-local":
			return Datetime{LocalDate, v.Format(datetimeLayouts["date-local"])}
		case "time-local":
			return Datetime{LocalTime, v.Format(datetimeLayouts["time-local"])}
		}
		return Datetime{OffsetDatetime, v.Format(time.RFC3339Nano)}
	}
	return v
}

// sameValue returns "" if have, from Parse, equals want, from
// BurntSushi, or says where it does not.
func sameValue(key string, want, have any) string {
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok || len(h) != len(w) {
			return fmt.Sprintf("%s: want %#v, have %#v", key, want, have)
		}
		for k := range w {
			if msg := sameValue(key+"."+k, w[k], h[k]); msg != "" {
				return msg
			}
		}
		return ""
	case []map[string]any:
		return sameList(key, w, have)
	case []any:
		return sameList(key, w, have)
	case float64:
		h, ok := have.(float64)
		if ok && (h == w && math.Signbit(h) == math.Signbit(w) || math.IsNaN(h) && math.IsNaN(w)) {
			return ""
		}
	case Datetime:
		h, ok := have.(Datetime)
		if ok && h.Kind == w.Kind && sameTime(w, h) {
			return ""
		}
	default:
		if want == have {
			return ""
		}
	}
	return fmt.Sprintf("%s: want %#v, have %#v", key, want, have)
}

// sameList compares two arrays element by element, as sameValue does.
func sameList[T any](key string, want []T, have any) string {
	h, ok := have.([]T)
	if !ok || len(h) != len(want) {
		return fmt.Sprintf("%s: want %#v, have %#v", key, want, have)
	}
	for i := range want {
		if msg := sameValue(fmt.Sprintf("%s[%d]", key, i), want[i], h[i]); msg != "" {
			return msg
		}
	}
	return ""
}

// sameTime compares a datetime from BurntSushi, which holds at most
// nanoseconds, with one from Parse, which holds every digit written.
func sameTime(want, have Datetime) bool {
	layout := datetimeLayouts[want.Kind.String()]
	w, err1 := time.Parse(layout, want.Text)
	h, err2 := time.Parse(layout, have.Text)
	_, wo := w.Zone()
	_, ho := h.Zone()
	return err1 == nil && err2 == nil && w.Equal(h) && wo == ho
}

// deliberateDifferences are what Parse refuses and BurntSushi accepts,
// on purpose: the TOML 1.1 spec forbids each, and toml-test has them as
// invalid (BurntSushi's own run of toml-test skips those tests).
var deliberateDifferences = []struct {
	prefix, contains string // of Parse's message
	example          string
	why              string
}{
	{"table ", " is defined twice (first by dotted keys on line ", "a.b = 1\n[a]",
		"a [header] defines again a table that dotted keys defined (toml-test invalid/table/duplicate-key-04, redefine-02)"},
	{"cannot define key ", " is already a table (line ", "[a.b.c]\n[a]\nb = 1",
		"key = value defines again a table that deeper headers or dotted keys made; BurntSushi drops the value, or puts an array in the table's place (invalid/table/append-with-dotted-keys-05)"},
	{"dotted key ", ", defined by a header on line ", "[a.b.c]\n[a]\nb.c.t = 1",
		"dotted keys add to a table that a header defined (invalid/table/append-with-dotted-keys-01)"},
	{"cannot define key ", " is already an array of tables (line ", "[[a.b]]\n[a]\nb.y = 2",
		"dotted keys add to the last table of an array of tables (invalid/table/append-with-dotted-keys-03, invalid/array/extend-defined-aot)"},
	{"cannot define ", " is already an inline table (line ", "a = {}\n[a.b]",
		"keys or headers add to an inline table (invalid/inline-table/overwrite-02, duplicate-key-03)"},
	{"invalid date-time ", ": offset hour must be 00 to 23", "d = 1979-05-27T07:32:00+24:00",
		"RFC 3339 offsets go up to 23:59; Go's time.Parse takes hour 24 (invalid/datetime/offset-overflow-hour)"},
	{"invalid date-time ", ": offset minute must be 00 to 59", "d = 1979-05-27T07:32:00+23:60",
		"RFC 3339 offsets go up to 23:59; Go's time.Parse takes minute 60 (invalid/datetime/offset-overflow-minute)"},
	{"expected at most 5 '\"' in a row ", "", `s = """\\""""""`,
		"a multi-line basic string holds at most two quotes in a row; BurntSushi takes an escaped backslash before six quotes for an escaped quote"},
	{"invalid UTF-8 byte ", "", "\xff\xfea = 1",
		"TOML is UTF-8; BurntSushi drops a UTF-16 byte order mark at the start and reads on"},
}

// deliberate says why Parse may refuse data that BurntSushi accepts, or
// returns "" if it may not.
func deliberate(data []byte, err *Error) string {
	for _, d := range deliberateDifferences {
		if strings.HasPrefix(err.Msg, d.prefix) && strings.Contains(err.Msg, d.contains) {
			if d.prefix == "invalid UTF-8 byte " && !(err.Line == 1 &&
				(strings.HasPrefix(string(data), "\xff\xfe") || strings.HasPrefix(string(data), "\xfe\xff"))) {
				continue
			}
			return d.why
		}
	}
	return ""
}

// TestDeliberateDifferences checks that each deliberate difference is
// real: BurntSushi accepts the example and Parse refuses it, saying so.
func TestDeliberateDifferences(t *testing.T) {
	for _, d := range deliberateDifferences {
		t.Run(d.why, func(t *testing.T) {
			if _, err := decodeBurntSushi([]byte(d.example)); err != nil {
				t.Errorf("BurntSushi refuses %q: %v", d.example, err)
			}
			_, err := Parse([]byte(d.example), Limits{})
			if err == nil {
				t.Fatalf("Parse accepts %q", d.example)
			}
			if why := deliberate([]byte(d.example), err.(*Error)); why != d.why {
				t.Errorf("Parse refuses %q with %v, classed as %q", d.example, err, why)
			}
		})
	}
}

// checkLimited checks Parse with tight limits against Parse without: the
// limits may only add an error, and only one that names a limit.
func checkLimited(t *testing.T, data []byte, doc *Document, err error) {
	limited, lerr := Parse(data, Limits{KeyParts: 2, Nesting: 2})
	switch {
	case lerr != nil:
		checkError(t, data, lerr)
	case err != nil:
		t.Fatalf("accepted with limits what is refused without (%v)\ninput: %q", err, data)
	default:
		if msg := sameValue("", doc.Root, limited.Root); msg != "" {
			t.Fatalf("decoded differently with limits: %s\ninput: %q", msg, data)
		}
	}
	if err == nil && lerr != nil && !lerr.(*Error).Limit {
		t.Fatalf("refused with limits, not for a limit: %v\ninput: %q", lerr, data)
	}
}
