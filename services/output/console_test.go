package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

var testTime = time.Date(2025, 3, 4, 5, 6, 7, 891234000, time.FixedZone("X", 3600))

func TestConsoleText(t *testing.T) {
	tests := []struct {
		service string
		width   int
		line    string
		want    string
	}{
		{"web", 0, "hello", "web | hello\n"},
		{"web", 6, "hello", "web    | hello\n"},
		{"database", 6, "x", "database | x\n"},
		{"web", 0, "", "web | \n"},
		{"web", 0, "tab\there \xff", "web | tab\there \xff\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		c := NewConsole(&buf, Text, tt.width)
		if err := c.WriteLine(tt.service, Stdout, []byte(tt.line)); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestConsoleJSON(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{"hello", "hello"},
		{`quote " and \ back`, `quote " and \ back`},
		{"ctl \x00\x01\x1f\t\r", "ctl \x00\x01\x1f\t\r"},
		{"utf8 é 😀", "utf8 é 😀"},
		{"bad \xff\xfe end", "bad \ufffd\ufffd end"},
		{"cut \xe2\x82", "cut \ufffd\ufffd"},
		{"", ""},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		c := NewConsole(&buf, JSON, 10)
		c.now = func() time.Time { return testTime }
		if err := c.WriteLine("we\"b", Stderr, []byte(tt.line)); err != nil {
			t.Fatal(err)
		}
		var rec struct{ Time, Service, Stream, Line string }
		out := buf.Bytes()
		if err := json.Unmarshal(out, &rec); err != nil || !bytes.HasSuffix(out, []byte("}\n")) {
			t.Fatalf("output %q: not one JSON line: %v", out, err)
		}
		want := struct{ Time, Service, Stream, Line string }{"2025-03-04T04:06:07.891234Z", "we\"b", "stderr", tt.want}
		if rec != want {
			t.Errorf("line %q: got %+v, want %+v", tt.line, rec, want)
		}
	}
}

// FuzzJSONString checks that any bytes give valid JSON that decodes to
// what encoding/json makes of the same bytes.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\x7f\x80", "é\xc3", "\u2028", "\xed\xa0\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out := appendJSONString(nil, b)
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%q gave invalid JSON %q: %v", b, out, err)
		}
		ref, _ := json.Marshal(string(b))
		var want string
		json.Unmarshal(ref, &want)
		if got != want {
			t.Fatalf("%q decodes to %q, want %q", b, got, want)
		}
	})
}

// recordWriter keeps every Write call separately.
type recordWriter struct {
	mu     sync.Mutex
	writes []string
}

func (w *recordWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.writes = append(w.writes, string(p))
	w.mu.Unlock()
	return len(p), nil
}

func TestConsoleOneWritePerLine(t *testing.T) {
	var w recordWriter
	c := NewConsole(&w, Text, 0)
	const writers, lines = 8, 500
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			name := fmt.Sprintf("svc%d", g)
			for i := range lines {
				c.WriteLine(name, Stdout, []byte(strings.Repeat(name, i%50)))
			}
		})
	}
	wg.Wait()
	if len(w.writes) != writers*lines {
		t.Fatalf("got %d writes, want %d", len(w.writes), writers*lines)
	}
	for _, rec := range w.writes {
		name, line, ok := strings.Cut(strings.TrimSuffix(rec, "\n"), " | ")
		if !ok || strings.ReplaceAll(line, name, "") != "" || strings.Count(rec, "\n") != 1 {
			t.Fatalf("write %q is not one whole line", rec)
		}
	}
}

// TestConsoleSharedPipes runs many forwarders of real pipes into one
// console backed by a real file: no line may be torn or lost.
func TestConsoleSharedPipes(t *testing.T) {
	checkFDs(t)
	out, err := os.CreateTemp(t.TempDir(), "console")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	c := NewConsole(out, Text, 0)
	const services, lines = 6, 2000
	var fws []*Forwarder
	var wg sync.WaitGroup
	for s := range services {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("s%d", s)
		fws = append(fws, Forward(r, name, Stdout, 0, c))
		wg.Go(func() {
			defer w.Close()
			for i := range lines {
				fmt.Fprintf(w, "%s-%d-%s\n", name, i, strings.Repeat("y", i%300))
			}
		})
	}
	wg.Wait()
	for _, fw := range fws {
		if err := fw.Drain(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	next := map[string]int{}
	for _, rec := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		name, line, _ := strings.Cut(rec, " | ")
		want := fmt.Sprintf("%s-%d-%s", name, next[name], strings.Repeat("y", next[name]%300))
		if line != want {
			t.Fatalf("got line %q, want %q", rec, want)
		}
		next[name]++
	}
	for s := range services {
		if n := next[fmt.Sprintf("s%d", s)]; n != lines {
			t.Errorf("service s%d: got %d lines, want %d", s, n, lines)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("console gone") }

func TestConsoleWriteError(t *testing.T) {
	c := NewConsole(failWriter{}, Text, 0)
	err := c.WriteLine("web", Stdout, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), `"web"`) {
		t.Errorf("got %v, want an error naming the service", err)
	}
}

func TestParseFormat(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Format
		ok   bool
	}{{"text", Text, true}, {"json", JSON, true}, {"JSON", 0, false}, {"", 0, false}} {
		got, err := ParseFormat(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseFormat(%q): got %v, %v, want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("String(): got %q, want %q", got.String(), tt.in)
		}
	}
}
