package output

import (
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// splitAll splits input read chunk bytes at a time (0: all at once).
func splitAll(input string, max, chunk int) []string {
	var r io.Reader = strings.NewReader(input)
	if chunk > 0 {
		r = &chunkReader{r: r, n: chunk}
	}
	s := newSplitter(max)
	var lines []string
	for {
		_, err := s.fill(r)
		for line, ok := s.next(); ok; line, ok = s.next() {
			lines = append(lines, string(line))
		}
		if err != nil {
			for line, ok := s.rest(); ok; line, ok = s.rest() {
				lines = append(lines, string(line))
			}
			return lines
		}
	}
}

type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

func TestSplit(t *testing.T) {
	x := strings.Repeat
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty input", "", nil},
		{"two lines", "a\nb\n", []string{"a", "b"}},
		{"CRLF stripped", "a\r\nb\r\n", []string{"a", "b"}},
		{"lone CR kept", "a\rb\n", []string{"a\rb"}},
		{"CR CR LF keeps one", "a\r\r\n", []string{"a\r"}},
		{"empty lines", "\n\n", []string{"", ""}},
		{"EOF without newline", "abc", []string{"abc"}},
		{"EOF after CR", "abc\r", []string{"abc\r"}},
		{"exactly max", x("a", 16) + "\n", []string{x("a", 16)}},
		{"max then CRLF", x("a", 16) + "\r\nb\n", []string{x("a", 16), "b"}},
		{"max plus one", x("a", 17) + "\n", []string{x("a", 16), "a"}},
		{"long line", x("a", 40) + "\nz\n", []string{x("a", 16), x("a", 16), x("a", 8), "z"}},
		{"long line at EOF", x("a", 33), []string{x("a", 16), x("a", 16), "a"}},
		{"max plus one at EOF", x("a", 17), []string{x("a", 16), "a"}},
		{"cut before a rune", x("a", 15) + "é\n", []string{x("a", 15), "é"}},
		{"cut before 4-byte rune", x("a", 14) + "😀\n", []string{x("a", 14), "😀"}},
		{"rune fits", x("a", 14) + "é\n", []string{x("a", 14) + "é"}},
		{"invalid bytes cut at max", x("\xff", 20) + "\n", []string{x("\xff", 16), x("\xff", 4)}},
	}
	for _, tt := range tests {
		for _, chunk := range []int{0, 1, 3, 17} {
			got := splitAll(tt.in, 16, chunk)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s (chunk %d): got %q, want %q", tt.name, chunk, got, tt.want)
			}
		}
	}
}

func TestSplitOneByteReader(t *testing.T) {
	in := "one\r\ntwo\n" + strings.Repeat("x", 5000) + "\nlast"
	s := newSplitter(0)
	var got []string
	r := iotest.OneByteReader(strings.NewReader(in))
	for {
		_, err := s.fill(r)
		for line, ok := s.next(); ok; line, ok = s.next() {
			got = append(got, string(line))
		}
		if err != nil {
			for line, ok := s.rest(); ok; line, ok = s.rest() {
				got = append(got, string(line))
			}
			break
		}
	}
	want := []string{"one", "two", strings.Repeat("x", DefaultMaxLine), strings.Repeat("x", 5000-DefaultMaxLine), "last"}
	if !slices.Equal(got, want) {
		t.Errorf("got %d lines %.40q, want %d lines", len(got), got, len(want))
	}
}

func TestClampMaxLine(t *testing.T) {
	for _, tt := range []struct{ in, want int }{
		{0, DefaultMaxLine}, {-5, DefaultMaxLine}, {1, minMaxLine}, {100, 100}, {1 << 30, maxMaxLine},
	} {
		if got := clampMaxLine(tt.in); got != tt.want {
			t.Errorf("clampMaxLine(%d): got %d, want %d", tt.in, got, tt.want)
		}
	}
}

// FuzzSplit checks that splitting loses and adds nothing but line ends,
// keeps every line within the limit and never breaks valid UTF-8.
func FuzzSplit(f *testing.F) {
	f.Add("a\r\nb\n\nc", uint8(0), uint8(1))
	f.Add(strings.Repeat("é", 40)+"\n", uint8(3), uint8(7))
	f.Add("\r\r\n\r", uint8(10), uint8(2))
	f.Fuzz(func(t *testing.T, in string, extra, chunk uint8) {
		max := minMaxLine + int(extra%48)
		lines := splitAll(in, max, int(chunk%20))
		for _, l := range lines {
			if len(l) > max {
				t.Fatalf("line of %d bytes, limit %d", len(l), max)
			}
			if utf8.ValidString(in) && !utf8.ValidString(l) {
				t.Fatalf("valid input gave invalid line %q", l)
			}
		}
		want := strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", ""), "\n", "")
		if got := strings.Join(lines, ""); got != want {
			t.Fatalf("joined lines %q, want %q", got, want)
		}
		if n := strings.Count(in, "\n"); len(lines) < n {
			t.Fatalf("%d lines for %d newlines", len(lines), n)
		}
	})
}

func TestCutPoint(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"abc", 3},
		{"ab\xc3", 2},           // first byte of é
		{"a\xf0\x9f\x98", 1},    // three bytes of a four-byte rune
		{"\xf0\x9f\x98\x80", 4}, // a whole rune
		{"ab\x80\x80\x80", 5},   // stray continuation bytes: nothing to save
		{"\xc3", 1},             // nothing before: keep
	} {
		if got := cutPoint([]byte(tt.in)); got != tt.want {
			t.Errorf("cutPoint(%q): got %d, want %d", tt.in, got, tt.want)
		}
	}
}
