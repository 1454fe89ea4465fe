package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// collector is a sink that keeps every line it is given.
type collector struct {
	mu    sync.Mutex
	lines []string
}

func (c *collector) WriteLine(_ string, _ Stream, line []byte) error {
	c.mu.Lock()
	c.lines = append(c.lines, string(line))
	c.mu.Unlock()
	return nil
}

func (c *collector) get() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.lines)
}

func pipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	return r, w
}

func soon() time.Time { return time.Now().Add(10 * time.Second) }

func TestForwardEOF(t *testing.T) {
	checkFDs(t)
	r, w := pipe(t)
	var c collector
	fw := Forward(r, "web", Stdout, 0, &c, Discard)
	io.WriteString(w, "one\r\ntwo\n\nlast")
	w.Close()
	if err := fw.Drain(soon()); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	want := []string{"one", "two", "", "last"}
	if got := c.get(); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := fw.Stats(), (Stats{Lines: 4, Bytes: 10}); got != want {
		t.Errorf("stats: got %+v, want %+v", got, want)
	}
	if err := r.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("closing the read end again: got %v, want os.ErrClosed (the forwarder closes it)", err)
	}
}

// TestForwardProcessExits has a real process write many lines and exit at
// once; every line must arrive, in order, the partial last one included.
func TestForwardProcessExits(t *testing.T) {
	checkFDs(t)
	for range 5 {
		r, w := pipe(t)
		var c collector
		fw := Forward(r, "helper", Stdout, 0, &c)
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), helperEnv+"=write", "GORACE=atexit_sleep_ms=0")
		cmd.Stdout = w
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if err := fw.Drain(soon()); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper: %v", err)
		}
		got := c.get()
		if len(got) != helperLines+1 || got[helperLines] != "partial" {
			t.Fatalf("got %d lines (last %q), want %d and \"partial\"", len(got), got[len(got)-1], helperLines+1)
		}
		for i, line := range got[:helperLines] {
			if want := fmt.Sprintf("line %d", i); line != want {
				t.Fatalf("line %d: got %q, want %q", i, line, want)
			}
		}
	}
}

// TestForwardDrainDeadline: a writer that keeps the pipe open cannot hold
// Drain past its deadline, and what it wrote before is delivered.
func TestForwardDrainDeadline(t *testing.T) {
	checkFDs(t)
	r, w := pipe(t)
	defer w.Close()
	var c collector
	fw := Forward(r, "web", Stderr, 0, &c)
	io.WriteString(w, "a\nb")
	start := time.Now()
	err := fw.Drain(time.Now().Add(50 * time.Millisecond))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Drain: got %v, want os.ErrDeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Drain took %v", elapsed)
	}
	if got, want := c.get(), []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := io.WriteString(w, "late\n"); err == nil {
		t.Error("writing after Drain: got nil, want EPIPE (the read end is closed)")
	}
}

// blockingSink holds the first line until released.
type blockingSink struct {
	collector
	entered, release chan struct{}
	once             sync.Once
}

func (b *blockingSink) WriteLine(s string, st Stream, line []byte) error {
	b.once.Do(func() {
		close(b.entered)
		<-b.release
	})
	return b.collector.WriteLine(s, st, line)
}

// TestForwardSweep: lines still in the pipe when the deadline passes are
// read and delivered, not dropped.
func TestForwardSweep(t *testing.T) {
	checkFDs(t)
	r, w := pipe(t)
	defer w.Close()
	b := &blockingSink{entered: make(chan struct{}), release: make(chan struct{})}
	fw := Forward(r, "web", Stdout, 0, b)
	io.WriteString(w, "first\n")
	<-b.entered
	io.WriteString(w, "second\nthird\nfourth")
	r.SetReadDeadline(time.Now().Add(-time.Second)) // as Drain does when its deadline passes
	close(b.release)
	if err := fw.Drain(time.Now().Add(-time.Second)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Drain: got %v, want os.ErrDeadlineExceeded", err)
	}
	if got, want := b.get(), []string{"first", "second", "third", "fourth"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestForwardDrainZeroWaitsForEOF(t *testing.T) {
	checkFDs(t)
	r, w := pipe(t)
	var c collector
	fw := Forward(r, "web", Stdout, 0, &c)
	go func() {
		io.WriteString(w, "x\n")
		w.Close()
	}()
	if err := fw.Drain(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := c.get(); !slices.Equal(got, []string{"x"}) {
		t.Errorf("got %q, want [x]", got)
	}
}

// TestForwardNoDeadlines: with a reader that cannot be interrupted, Drain
// still returns at its deadline and the forwarder finishes at EOF.
func TestForwardNoDeadlines(t *testing.T) {
	pr, pw := io.Pipe()
	var c collector
	fw := Forward(pr, "web", Stdout, 0, &c)
	err := fw.Drain(time.Now().Add(20 * time.Millisecond))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Drain: got %v, want os.ErrDeadlineExceeded", err)
	}
	go func() {
		io.WriteString(pw, "late\n")
		pw.Close()
	}()
	<-fw.Done()
	if err := fw.Err(); err != nil {
		t.Fatal(err)
	}
	if got := c.get(); !slices.Equal(got, []string{"late"}) {
		t.Errorf("got %q, want [late]", got)
	}
}

type failSink struct{ panics bool }

func (f failSink) WriteLine(string, Stream, []byte) error {
	if f.panics {
		panic("boom")
	}
	return errors.New("full")
}

// TestForwardSinkFailures: failing and panicking sinks are counted and do
// not stop the other sinks.
func TestForwardSinkFailures(t *testing.T) {
	var c collector
	fw := Forward(strings.NewReader("a\nb\nc\n"), "web", Stdout, 0, failSink{}, failSink{panics: true}, &c)
	if err := fw.Drain(soon()); err != nil {
		t.Fatal(err)
	}
	if got, want := fw.Stats(), (Stats{Lines: 3, Bytes: 3, Failed: 6}); got != want {
		t.Errorf("stats: got %+v, want %+v", got, want)
	}
	if got := c.get(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("got %q, want [a b c]", got)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("EIO") }

func TestForwardReadError(t *testing.T) {
	fw := Forward(io.MultiReader(strings.NewReader("part"), errReader{}), "web", Stdout, 0, Discard)
	err := fw.Drain(soon())
	if err == nil || !strings.Contains(err.Error(), `read stdout of "web": EIO`) {
		t.Errorf("got %v, want the read error", err)
	}
	if got := fw.Stats().Lines; got != 1 {
		t.Errorf("got %d lines, want the partial line delivered", got)
	}
}
