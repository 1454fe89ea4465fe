package services

import (
	"fmt"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// value is one TOML value being decoded, with what problems about it need:
// its key path in the file (for the line), its service and its printed key.
type value struct {
	d    *decoder
	path []string // TOML key path from the top of the file
	svc  string   // the service, or ""
	key  string   // the key as printed in problems
	note string   // starts each message: which element of an array
	v    any
}

// child is the value at key inside v, a table.
func (v value) child(key string, x any) value {
	c := v
	c.path = append(v.path[:len(v.path):len(v.path)], key)
	c.key = quoteKeyPart(key)
	if v.key != "" {
		c.key = v.key + "." + c.key
	}
	c.v = x
	return c
}

// elem is element i (from 0) of the array v; problems about it are at
// v's key and name the element, counting from 1.
func (v value) elem(i int, x any) value {
	e := v
	e.v = x
	e.note = fmt.Sprintf("element %d: ", i+1)
	return e
}

// quoteKeyPart quotes a key part the way TOML needs it: bare if it only
// has letters, digits, '-' and '_', else in double quotes with escapes.
func quoteKeyPart(k string) string {
	if k != "" && strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == "" {
		return k
	}
	return strconv.Quote(k)
}

// fail records a problem about v.
func (v value) fail(format string, args ...any) {
	v.d.problem(v.path, v.svc, v.key, v.note+fmt.Sprintf(format, args...))
}

// wrongType records that v is not of the type wanted.
func (v value) wrongType(want string) {
	v.fail("must be %s, not %s", want, typeName(v.v))
}

// typeName names a decoded TOML value's type, with its article.
func typeName(x any) string {
	switch x.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	}
	return "a date or time"
}

func (v value) str() (string, bool) {
	s, ok := v.v.(string)
	if !ok {
		v.wrongType("a string")
	}
	return s, ok
}

func (v value) boolean() (bool, bool) {
	b, ok := v.v.(bool)
	if !ok {
		v.wrongType("true or false")
	}
	return b, ok
}

func (v value) table() (map[string]any, bool) {
	t, ok := v.v.(map[string]any)
	if !ok {
		v.wrongType("a table")
	}
	return t, ok
}

// integer reads an integer between lo and hi.
func (v value) integer(lo, hi int64) (int64, bool) {
	n, ok := v.v.(int64)
	if !ok {
		v.wrongType("an integer")
		return 0, false
	}
	if n < lo || n > hi {
		v.fail("%d is out of range (%d to %d)", n, lo, hi)
		return 0, false
	}
	return n, true
}

// float reads a number between lo and hi; integers are welcome.
func (v value) float(lo, hi float64) (float64, bool) {
	f, ok := v.v.(float64)
	if n, isInt := v.v.(int64); isInt {
		f, ok = float64(n), true
	}
	if !ok {
		v.wrongType("a number")
		return 0, false
	}
	if math.IsNaN(f) || f < lo || f > hi {
		v.fail("%g is out of range (%g to %g)", f, lo, hi)
		return 0, false
	}
	return f, true
}

// duration reads a duration string between lo and hi.
func (v value) duration(lo, hi time.Duration) (time.Duration, bool) {
	if n, isInt := v.v.(int64); isInt {
		v.fail(`must be a duration string with a unit, like "%ds", not the integer %d`, n, n)
		return 0, false
	}
	s, ok := v.str()
	if !ok {
		return 0, false
	}
	d, err := ParseDuration(s)
	if err != nil {
		v.fail("%v", err)
		return 0, false
	}
	if d < lo || d > hi {
		v.fail("%s is out of range (%s to %s)", s, formatDuration(lo), formatDuration(hi))
		return 0, false
	}
	return d, true
}

// size reads a byte count, as an integer or a string like "10M", between
// lo and hi.
func (v value) size(lo, hi uint64) (uint64, bool) {
	var n uint64
	switch x := v.v.(type) {
	case int64:
		if x < 0 {
			v.fail("%d is negative", x)
			return 0, false
		}
		n = uint64(x)
	case string:
		var err error
		if n, err = ParseSize(x); err != nil {
			v.fail("%v", err)
			return 0, false
		}
	default:
		v.wrongType(`a size like "10M"`)
		return 0, false
	}
	if n < lo || n > hi {
		v.fail("%s is out of range (%s to %s)", formatSize(n), formatSize(lo), formatSize(hi))
		return 0, false
	}
	return n, true
}

// array reads an array of at most limit elements.
func (v value) array(what string, limit int) ([]any, bool) {
	a, ok := v.v.([]any)
	if !ok {
		v.wrongType("an array of " + what)
		return nil, false
	}
	if len(a) > limit {
		v.fail("has %d %s, more than the limit of %d", len(a), what, limit)
		return nil, false
	}
	return a, true
}

// strings reads an array of at most limit strings.
func (v value) strings(what string, limit int) ([]string, bool) {
	a, ok := v.array(what, limit)
	if !ok {
		return nil, false
	}
	out := make([]string, len(a))
	for i, x := range a {
		s, isStr := x.(string)
		if !isStr {
			v.fail("element %d must be a string, not %s", i+1, typeName(x))
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// argv reads a command: a non-empty array of strings, within the limits of
// execve, whose first element is an absolute path or a bare name looked up
// in PATH when the command runs.
func (v value) argv() ([]string, bool) {
	if s, isStr := v.v.(string); isStr {
		v.fail(`must be an array of strings like ["/usr/bin/app", "--flag"], not a string (tinit runs no shell; for shell syntax write ["sh", "-c", %q])`, s)
		return nil, false
	}
	args, ok := v.strings("arguments", maxArgs)
	if !ok {
		return nil, false
	}
	if len(args) == 0 {
		v.fail("must not be empty")
		return nil, false
	}
	total := 0
	for i, a := range args {
		total += len(a) + 1
		if strings.IndexByte(a, 0) >= 0 {
			v.fail("argument %d contains a NUL byte", i+1)
			return nil, false
		}
	}
	if total > maxArgBytes {
		v.fail("arguments take %d bytes, more than the limit of %d", total, maxArgBytes)
		return nil, false
	}
	return args, checkProgram(v, args[0])
}

// checkProgram accepts "/abs/path" and "name", and refuses relative paths,
// whose meaning would depend on the working directory.
func checkProgram(v value, prog string) bool {
	switch {
	case prog == "":
		v.fail("the program (first element) is empty")
	case strings.Contains(prog, "/") && !path.IsAbs(prog):
		v.fail("program %q must be an absolute path, or a bare name to look up in PATH", prog)
	case len(prog) > maxPath:
		v.fail("program path is longer than %d bytes", maxPath)
	default:
		return true
	}
	return false
}

// absPath reads an absolute path within PATH_MAX.
func (v value) absPath() (string, bool) {
	p, ok := v.str()
	if !ok {
		return "", false
	}
	switch {
	case !path.IsAbs(p):
		v.fail("%q must be an absolute path", p)
	case len(p) > maxPath:
		v.fail("path is longer than %d bytes", maxPath)
	case strings.IndexByte(p, 0) >= 0:
		v.fail("path contains a NUL byte")
	default:
		return path.Clean(p), true
	}
	return "", false
}

// enum is the table of a small enumeration's names, indexed by value.
type enum []string

// parse reads one of the names; what describes the values in the message.
func (e enum) parse(v value, what string) (int, bool) {
	s, ok := v.str()
	if !ok {
		return 0, false
	}
	for i, name := range e {
		if name == s && name != "" {
			return i, true
		}
	}
	v.fail("unknown %s %q%s; want one of %s", what, s, didYouMean(s, e), e.list())
	return 0, false
}

// list writes the names for a message: "a", "b" or "c".
func (e enum) list() string {
	var q []string
	for _, name := range e {
		if name != "" {
			q = append(q, `"`+name+`"`)
		}
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// name returns the name of value i.
func (e enum) name(i int) string {
	if i >= 0 && i < len(e) && e[i] != "" {
		return e[i]
	}
	return fmt.Sprintf("%d", i)
}

// sortedKeys returns a table's keys in order, so that decoding (and the
// order of problems on one line) is deterministic.
func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
