package image

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// MaxManifestLine is the longest manifest line accepted, in bytes.
const MaxManifestLine = 64 << 10

// A manifest lists entries, one a line (docs/image.md has the reference):
//
//	# dst                      kind     arguments        options
//	/init                      file     bin/tinit        mode=0755
//	/etc/hostname              text     "vm1\n"
//	/bin/busybox               program  /bin/busybox
//	/dev/console               char     5 1              mode=0600
//	/tmp                       dir                       mode=1777
//	/lib64                     symlink  lib
//
// Words are separated by spaces or tabs; a word starting with # begins a
// comment; a word in double quotes is read as a Go string literal, so it may
// hold spaces, quotes and escapes. Each kind takes a fixed number of
// arguments, and every word after them is an option key=value.

// manifestKind describes one kind of line: its arguments, the options it
// takes, and how it adds its entry.
type manifestKind struct {
	args []string // argument names, for messages
	mode bool     // takes mode=
	add  func(b *Builder, l *manifestLine, baseDir string, opts []Option) error
}

var manifestKinds = map[string]manifestKind{
	"file": {args: []string{"SOURCE"}, mode: true, add: func(b *Builder, l *manifestLine, base string, o []Option) error {
		return b.AddHostFile(l.dst, hostPath(base, l.args[0]), o...)
	}},
	"program": {args: []string{"SOURCE"}, mode: true, add: func(b *Builder, l *manifestLine, base string, o []Option) error {
		return b.AddProgram(l.dst, hostPath(base, l.args[0]), o...)
	}},
	"text": {args: []string{"CONTENT"}, mode: true, add: func(b *Builder, l *manifestLine, _ string, o []Option) error {
		return b.AddFile(l.dst, 0o644, []byte(l.args[0]), o...)
	}},
	"dir": {mode: true, add: func(b *Builder, l *manifestLine, _ string, o []Option) error {
		return b.AddDir(l.dst, 0o755, o...)
	}},
	"symlink": {args: []string{"TARGET"}, add: func(b *Builder, l *manifestLine, _ string, o []Option) error {
		return b.AddSymlink(l.dst, l.args[0], o...)
	}},
	"char": {args: []string{"MAJOR", "MINOR"}, mode: true, add: func(b *Builder, l *manifestLine, _ string, o []Option) error {
		return b.AddDevice(l.dst, fs.ModeDevice|fs.ModeCharDevice|0o600, l.nums[0], l.nums[1], o...)
	}},
	"block": {args: []string{"MAJOR", "MINOR"}, mode: true, add: func(b *Builder, l *manifestLine, _ string, o []Option) error {
		return b.AddDevice(l.dst, fs.ModeDevice|0o600, l.nums[0], l.nums[1], o...)
	}},
}

// hostPath resolves a manifest's source against the manifest's directory.
func hostPath(base, src string) string {
	if filepath.IsAbs(src) || base == "" {
		return src
	}
	return filepath.Join(base, src)
}

// manifestLine is one parsed entry line.
type manifestLine struct {
	pos      string // "file:line"
	dst      string
	kind     string
	args     []string
	nums     [2]uint32 // MAJOR MINOR of devices
	mode     fs.FileMode
	modeSet  bool
	uid, gid uint32
	ownerSet bool
}

// options returns the Options the line's key=value words give.
func (l *manifestLine) options() []Option {
	opts := []Option{at(l.pos)}
	if l.modeSet {
		opts = append(opts, Mode(l.mode))
	}
	if l.ownerSet {
		opts = append(opts, Owner(l.uid, l.gid))
	}
	return opts
}

// String prints the line as a manifest line, quoting what needs it.
func (l *manifestLine) String() string {
	words := []string{quoteArg(l.dst), l.kind}
	for _, a := range l.args {
		words = append(words, quoteArg(a))
	}
	if l.modeSet {
		words = append(words, "mode="+octalPerm(l.mode))
	}
	if l.ownerSet {
		words = append(words, fmt.Sprintf("uid=%d", l.uid), fmt.Sprintf("gid=%d", l.gid))
	}
	return strings.Join(words, " ")
}

// AddManifest adds the entries that the manifest read from r lists. name
// (usually the file's path) prefixes every error as "name:line: ";
// relative sources are resolved against baseDir (the manifest's
// directory), or the working directory when baseDir is "". Every problem is
// reported, not only the first; the lines without one are added.
func (b *Builder) AddManifest(name string, r io.Reader, baseDir string) error {
	lines, err := parseManifest(name, r)
	errs := []error{err}
	for _, l := range lines {
		errs = append(errs, manifestKinds[l.kind].add(b, l, baseDir, l.options()))
	}
	return errors.Join(errs...)
}

// AddManifestFile adds the manifest in the file path, resolving its
// relative sources against the file's directory.
func (b *Builder) AddManifestFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	defer f.Close()
	return b.AddManifest(path, f, filepath.Dir(path))
}

// parseManifest parses every line and returns the good ones and the
// errors of the others.
func parseManifest(name string, r io.Reader) ([]*manifestLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxManifestLine)
	var lines []*manifestLine
	var errs []error
	n := 0
	for sc.Scan() {
		n++
		l, err := parseLine(fmt.Sprintf("%s:%d", name, n), strings.TrimSuffix(sc.Text(), "\r"))
		if err != nil {
			errs = append(errs, err)
		} else if l != nil {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err == bufio.ErrTooLong {
		errs = append(errs, fmt.Errorf("%s:%d: line longer than %d bytes", name, n+1, MaxManifestLine))
	} else if err != nil {
		errs = append(errs, fmt.Errorf("read manifest %s: %w", name, err))
	}
	return lines, errors.Join(errs...)
}

// parseLine parses one line; a blank or comment line gives nil, nil.
func parseLine(pos, text string) (*manifestLine, error) {
	words, err := splitWords(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pos, err)
	}
	if len(words) == 0 {
		return nil, nil
	}
	l := &manifestLine{pos: pos, dst: words[0].s}
	if err := l.parse(words[1:]); err != nil {
		return nil, &Error{Pos: pos, Op: "entry", Path: l.dst, Err: err}
	}
	return l, nil
}

func (l *manifestLine) parse(words []word) error {
	if len(words) == 0 {
		return fmt.Errorf("no kind (want one of %s)", kindNames())
	}
	l.kind = words[0].s
	k, ok := manifestKinds[l.kind]
	if !ok || words[0].quoted {
		return fmt.Errorf("unknown kind %q (want one of %s)", words[0].s, kindNames())
	}
	words = words[1:]
	if len(words) < len(k.args) {
		return fmt.Errorf("%s takes %s", l.kind, strings.Join(append(slices.Clone(k.args), "[key=value...]"), " "))
	}
	for _, w := range words[:len(k.args)] {
		l.args = append(l.args, w.s)
	}
	if err := l.parseNumbers(); err != nil {
		return err
	}
	return l.parseOptions(k, words[len(k.args):])
}

func (l *manifestLine) parseNumbers() error {
	if l.kind != "char" && l.kind != "block" {
		return nil
	}
	for i, a := range l.args {
		n, err := strconv.ParseUint(a, 10, 32)
		if err != nil {
			return fmt.Errorf("bad %s %q: want a decimal number", manifestKinds[l.kind].args[i], a)
		}
		l.nums[i] = uint32(n)
	}
	return nil
}

func (l *manifestLine) parseOptions(k manifestKind, words []word) error {
	seen := map[string]bool{}
	for _, w := range words {
		key, val, ok := strings.Cut(w.s, "=")
		if !ok || w.quoted {
			return fmt.Errorf("unexpected word %s: %s takes %s", quoteArg(w.s), l.kind, strings.Join(append(slices.Clone(k.args), "[key=value...]"), " "))
		}
		if seen[key] {
			return fmt.Errorf("option %s given twice", key)
		}
		seen[key] = true
		if err := l.option(k, key, val); err != nil {
			return err
		}
	}
	return nil
}

func (l *manifestLine) option(k manifestKind, key, val string) error {
	switch {
	case key == "mode" && k.mode:
		m, err := ParseMode(val)
		l.mode, l.modeSet = m, true
		return err
	case key == "uid" || key == "gid":
		n, err := strconv.ParseUint(val, 10, 32)
		if err != nil {
			return fmt.Errorf("bad %s %q: want a decimal number", key, val)
		}
		l.ownerSet = true
		if key == "uid" {
			l.uid = uint32(n)
		} else {
			l.gid = uint32(n)
		}
		return nil
	}
	want := "uid, gid"
	if k.mode {
		want = "mode, uid, gid"
	}
	return fmt.Errorf("unknown option %q for %s (want %s)", key, l.kind, want)
}

// ParseMode reads a chmod-style octal mode such as 0755, 644 or 1777 into
// the permission bits of an fs.FileMode (setuid, setgid and sticky
// included), as the manifest's mode= takes it.
func ParseMode(s string) (fs.FileMode, error) {
	n, err := strconv.ParseUint(s, 8, 32)
	if err != nil || len(s) > 5 || n > 0o7777 {
		return 0, fmt.Errorf("bad mode %q: want an octal number up to 07777", s)
	}
	return permFromOctal(uint32(n))
}

func kindNames() string {
	var names []string
	for k := range manifestKinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// word is one word of a line; quoted words are never kinds or options.
type word struct {
	s      string
	quoted bool
}

// splitWords splits a line into words, up to a comment.
func splitWords(text string) ([]word, error) {
	var words []word
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '#':
			return words, nil
		case c == '"':
			w, n, err := quotedWord(text[i:])
			if err != nil {
				return nil, err
			}
			words, i = append(words, word{w, true}), i+n
		default:
			n := strings.IndexAny(text[i:], " \t")
			if n < 0 {
				n = len(text) - i
			}
			w := text[i : i+n]
			if strings.ContainsRune(w, '"') {
				return nil, fmt.Errorf("quote inside the word %s: quote the whole word", w)
			}
			words, i = append(words, word{w, false}), i+n
		}
	}
	return words, nil
}

// quotedWord reads the Go string literal at the start of s and returns its
// value and length.
func quotedWord(s string) (string, int, error) {
	end := 1
	for ; end < len(s) && s[end] != '"'; end++ {
		if s[end] == '\\' {
			end++
		}
	}
	if end >= len(s) {
		return "", 0, fmt.Errorf("unterminated quoted word %s", s)
	}
	w, err := strconv.Unquote(s[:end+1])
	if err != nil {
		return "", 0, fmt.Errorf("bad quoted word %s: %v", s[:end+1], err)
	}
	if end+1 < len(s) && s[end+1] != ' ' && s[end+1] != '\t' {
		return "", 0, fmt.Errorf("no space after the quoted word %s", s[:end+1])
	}
	return w, end + 1, nil
}

// needsQuote reports whether s must be quoted in a manifest line (or is
// clearer quoted in a message): empty, starting a comment, or holding a
// space, a quote, a backslash or a control character.
func needsQuote(s string) bool {
	if s == "" || s[0] == '#' {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == '"' || c == '\\' || c == 0x7f {
			return true
		}
	}
	return false
}
