package toml

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The toml-test suite ships in the module of github.com/BurntSushi/toml,
// which tinit already requires: its files are the conformance test.

// suiteExclusions are the TOML 1.1.0 exclusions of
// <module>/internal/toml-test/version.go; TestSuiteExclusions checks that
// they are still what that file lists.
var suiteExclusions = []string{
	"valid/spec-1.0.0/*",
	"invalid/spec-1.0.0/*",
	"invalid/datetime/no-secs",
	"invalid/local-time/no-secs",
	"invalid/local-datetime/no-secs",
	"invalid/string/basic-byte-escapes",
	"invalid/inline-table/trailing-comma",
	"invalid/inline-table/linebreak-01",
	"invalid/inline-table/linebreak-02",
	"invalid/inline-table/linebreak-03",
	"invalid/inline-table/linebreak-04",
}

// suiteDir returns toml-test's directory in the module cache, found with
// the go tool.
func suiteDir(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/BurntSushi/toml").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		tb.Fatalf("find the toml-test suite: go list -m github.com/BurntSushi/toml: %v %s (the suite ships in that module; run go mod download)", err, errOutput(err))
	}
	return filepath.Join(dir, "internal", "toml-test")
}

func errOutput(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}

// suiteCase is one test of the suite: name is its path without ".toml",
// e.g. "valid/string/escapes".
type suiteCase struct {
	name string
	file string
}

// suiteCases lists the suite's tests for TOML 1.1.0, without the excluded.
func suiteCases(tb testing.TB) (cases []suiteCase, excluded int) {
	tb.Helper()
	root := filepath.Join(suiteDir(tb), "tests")
	err := filepath.WalkDir(root, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(file, ".toml") {
			return err
		}
		rel, _ := filepath.Rel(root, file)
		name := strings.TrimSuffix(filepath.ToSlash(rel), ".toml")
		if !strings.HasPrefix(name, "valid/") && !strings.HasPrefix(name, "invalid/") {
			return nil // tests/version.toml says which toml-test this is
		}
		for _, pattern := range suiteExclusions {
			if ok, _ := path.Match(pattern, name); ok {
				excluded++
				return nil
			}
		}
		cases = append(cases, suiteCase{name, file})
		return nil
	})
	if err != nil {
		tb.Fatalf("list the toml-test suite: %v", err)
	}
	if len(cases) < 500 {
		tb.Fatalf("the toml-test suite in %s has only %d tests", root, len(cases))
	}
	return cases, excluded
}

// validDocs reads the documents of the suite's valid tests, by name.
func validDocs(tb testing.TB) map[string][]byte {
	tb.Helper()
	cases, _ := suiteCases(tb)
	docs := map[string][]byte{}
	for _, c := range cases {
		if strings.HasPrefix(c.name, "valid/") {
			data, err := os.ReadFile(c.file)
			if err != nil {
				tb.Fatal(err)
			}
			docs[c.name] = data
		}
	}
	return docs
}

// tagged converts decoded values to toml-test's JSON form: tables as
// objects, arrays as arrays, and each other value as {"type", "value"}.
func tagged(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = tagged(x)
		}
		return m
	case []map[string]any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = tagged(x)
		}
		return a
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = tagged(x)
		}
		return a
	case string:
		return leaf("string", v)
	case int64:
		return leaf("integer", strconv.FormatInt(v, 10))
	case float64:
		return leaf("float", strconv.FormatFloat(v, 'g', -1, 64))
	case bool:
		return leaf("bool", strconv.FormatBool(v))
	case Datetime:
		return leaf(v.Kind.String(), v.Text)
	}
	return leaf("unknown Go type", v)
}

func leaf(typ string, value any) map[string]any {
	return map[string]any{"type": typ, "value": value}
}

// isLeaf reports whether m is a {"type", "value"} object, the way toml-test
// tells values from tables.
func isLeaf(m map[string]any) bool {
	_, typ := m["type"].(string)
	_, value := m["value"]
	return len(m) == 2 && typ && value
}

// sameJSON returns "" if have, in toml-test's JSON form, matches want, or
// says where it does not. Floats compare by value and datetimes as
// instants with their offsets, as toml-test's json.go means to.
func sameJSON(key string, want, have any) string {
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		switch {
		case !ok:
			return key + ": want a table or value, have " + jsonText(have)
		case isLeaf(w) != isLeaf(h):
			return key + ": want " + jsonText(w) + ", have " + jsonText(h)
		case isLeaf(w):
			return sameLeaf(key, w, h)
		case len(w) != len(h):
			return key + ": want keys " + jsonText(keysOf(w)) + ", have " + jsonText(keysOf(h))
		}
		for k := range w {
			if msg := sameJSON(key+"."+k, w[k], h[k]); msg != "" {
				return msg
			}
		}
		return ""
	case []any:
		h, ok := have.([]any)
		if !ok || len(h) != len(w) {
			return key + ": want " + jsonText(w) + ", have " + jsonText(have)
		}
		for i := range w {
			if msg := sameJSON(key+"["+strconv.Itoa(i)+"]", w[i], h[i]); msg != "" {
				return msg
			}
		}
		return ""
	}
	return key + ": unexpected JSON " + jsonText(want)
}

func keysOf(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func sameLeaf(key string, want, have map[string]any) string {
	wt, ht := want["type"].(string), have["type"].(string)
	wv, _ := want["value"].(string)
	hv, _ := have["value"].(string)
	same := wt == ht && wv == hv
	if wt == ht {
		switch wt {
		case "float":
			same = sameFloat(wv, hv)
		case "datetime", "datetime-local", "date-local", "time-local":
			same = sameDatetime(wt, wv, hv)
		}
	}
	if !same {
		return key + ": want " + jsonText(want) + ", have " + jsonText(have)
	}
	return ""
}

func sameFloat(want, have string) bool {
	w, err1 := strconv.ParseFloat(want, 64)
	h, err2 := strconv.ParseFloat(have, 64)
	if strings.HasSuffix(strings.ToLower(want), "nan") {
		return err2 == nil && h != h
	}
	return err1 == nil && err2 == nil && w == h
}

var datetimeLayouts = map[string]string{
	"datetime":       time.RFC3339Nano,
	"datetime-local": "2006-01-02T15:04:05.999999999",
	"date-local":     "2006-01-02",
	"time-local":     "15:04:05.999999999",
}

// datetimeRepl is toml-test's normalisation of datetimes before parsing.
var datetimeRepl = strings.NewReplacer(" ", "T", "t", "T", "z", "Z")

// sameDatetime compares datetimes of a kind as toml-test does, except
// that it really parses have (toml-test parses want twice) and requires
// the same offset too. have must be normalised already.
func sameDatetime(kind, want, have string) bool {
	layout := datetimeLayouts[kind]
	w, err1 := time.Parse(layout, datetimeRepl.Replace(want))
	h, err2 := time.Parse(layout, have)
	_, wo := w.Zone()
	_, ho := h.Zone()
	return err1 == nil && err2 == nil && w.Equal(h) && wo == ho && datetimeRepl.Replace(have) == have
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// checkError checks what every error must be: an *Error on a line of the
// input, with a message of one line and no raw control characters.
func checkError(t *testing.T, data []byte, err error) {
	t.Helper()
	e, ok := err.(*Error)
	switch {
	case !ok:
		t.Fatalf("error %#v (%T) is not an *Error", err, err)
	case e.Line < 1 || e.Line > strings.Count(string(data), "\n")+1:
		t.Fatalf("error on line %d of a %d-line input: %v", e.Line, strings.Count(string(data), "\n")+1, e)
	case e.Msg == "" || strings.HasPrefix(e.Msg, "line "):
		t.Fatalf("bad message %q", e.Msg)
	}
	for _, r := range e.Msg {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\uFFFD' && !strings.Contains(string(data), "\uFFFD") {
			t.Fatalf("message %q has a raw control character or invalid UTF-8", e.Msg)
		}
	}
}

func TestSuite(t *testing.T) {
	cases, excluded := suiteCases(t)
	var valid, invalid int
	for _, c := range cases {
		data, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(c.name, "valid/") {
			valid++
			t.Run(c.name, func(t *testing.T) { checkValid(t, c, data) })
		} else {
			invalid++
			t.Run(c.name, func(t *testing.T) { checkInvalid(t, data) })
		}
	}
	t.Logf("toml-test: %d valid and %d invalid tests, %d excluded for TOML 1.1.0", valid, invalid, excluded)
}

func checkValid(t *testing.T, c suiteCase, data []byte) {
	doc, err := Parse(data, Limits{})
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, data)
	}
	wantJSON, err := os.ReadFile(strings.TrimSuffix(c.file, ".toml") + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatalf("read the expected JSON: %v", err)
	}
	if msg := sameJSON("", want, tagged(doc.Root)); msg != "" {
		t.Fatalf("%s\ninput:\n%s", msg, data)
	}
	checkLines(t, doc, data)
}

// checkLines checks that each key reached through tables, inline ones
// included, has a line of the input, and that a missing key has none.
func checkLines(t *testing.T, doc *Document, data []byte) {
	t.Helper()
	lines := strings.Count(string(data), "\n") + 1
	var walk func(path []string, m map[string]any)
	walk = func(path []string, m map[string]any) {
		for k, v := range m {
			p := append(path[:len(path):len(path)], k)
			if l := doc.Line(p...); l < 1 || l > lines {
				t.Fatalf("Line(%q) = %d in a %d-line input", p, l, lines)
			}
			if sub, ok := v.(map[string]any); ok {
				walk(p, sub)
			}
		}
		if l := doc.Line(append(path[:len(path):len(path)], "no such key\x00")...); l != 0 {
			t.Fatalf("Line of a missing key under %q = %d, want 0", path, l)
		}
	}
	walk(nil, doc.Root)
}

func checkInvalid(t *testing.T, data []byte) {
	doc, err := Parse(data, Limits{})
	if err == nil {
		t.Fatalf("Parse accepted an invalid document, giving %s:\n%s", jsonText(tagged(doc.Root)), data)
	}
	checkError(t, data, err)
	t.Log(err)
}

// TestSuiteExclusions checks that suiteExclusions are the exclusions that
// toml-test's version.go lists for TOML 1.1.0, and nothing else.
func TestSuiteExclusions(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(suiteDir(t), "version.go"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(src), `"1.1.0"`)
	end := strings.Index(string(src), `"1.0.0"`)
	if start < 0 || end < start {
		t.Fatalf("version.go no longer lists 1.1.0 before 1.0.0:\n%s", src)
	}
	var listed []string
	fields := strings.Split(string(src[start:end]), `"`)
	for i := 3; i < len(fields); i += 2 { // the quoted strings after "1.1.0"
		listed = append(listed, fields[i])
	}
	if strings.Join(listed, " ") != strings.Join(suiteExclusions, " ") {
		t.Fatalf("version.go excludes %q for 1.1.0, the test %q", listed, suiteExclusions)
	}
}
