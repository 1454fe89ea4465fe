package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func numbered(from, to int) []string {
	var s []string
	for i := from; i < to; i++ {
		s = append(s, fmt.Sprintf("line-%04d", i))
	}
	return s
}

func TestFileRotation(t *testing.T) {
	tests := []struct {
		name     string
		maxSize  int64
		maxFiles int
		lines    int
		want     map[string][]string // suffix -> lines
	}{
		{"no rotation", 0, 3, 25, map[string][]string{"": numbered(0, 25)}},
		{"keeps two", 100, 2, 35, map[string][]string{
			"": numbered(30, 35), ".1": numbered(20, 30), ".2": numbered(10, 20)}},
		{"keeps none", 100, 0, 25, map[string][]string{"": numbered(20, 25)}},
		{"exact fit", 100, 5, 20, map[string][]string{"": numbered(10, 20), ".1": numbered(0, 10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFDs(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "web.log")
			s, err := NewFile(path, FileOptions{MaxSize: tt.maxSize, MaxFiles: tt.maxFiles})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for _, l := range numbered(0, tt.lines) { // 10 bytes a line with its newline
				if err := s.WriteLine("web", Stdout, []byte(l)); err != nil {
					t.Fatal(err)
				}
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != len(tt.want) {
				t.Errorf("got %d files, want %d", len(entries), len(tt.want))
			}
			for suffix, want := range tt.want {
				if got := readLines(t, path+suffix); !slices.Equal(got, want) {
					t.Errorf("web.log%s: got %q, want %q", suffix, got, want)
				}
			}
		})
	}
}

func TestFileAppendsToExisting(t *testing.T) {
	checkFDs(t)
	path := filepath.Join(t.TempDir(), "web.log")
	os.WriteFile(path, []byte("old-line-\n"), 0o600)
	s, err := NewFile(path, FileOptions{MaxSize: 30, MaxFiles: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, l := range numbered(0, 3) {
		s.WriteLine("web", Stdout, []byte(l))
	}
	if got, want := readLines(t, path+".1"), []string{"old-line-", "line-0000", "line-0001"}; !slices.Equal(got, want) {
		t.Errorf("web.log.1: got %q, want %q", got, want)
	}
	if got, want := readLines(t, path), []string{"line-0002"}; !slices.Equal(got, want) {
		t.Errorf("web.log: got %q, want %q", got, want)
	}
}

func TestFileLongLineAlone(t *testing.T) {
	checkFDs(t)
	path := filepath.Join(t.TempDir(), "web.log")
	s, _ := NewFile(path, FileOptions{MaxSize: 20, MaxFiles: 2})
	defer s.Close()
	long := strings.Repeat("L", 50)
	for _, l := range []string{"a", long, "b"} {
		s.WriteLine("web", Stdout, []byte(l))
	}
	for suffix, want := range map[string][]string{"": {"b"}, ".1": {long}, ".2": {"a"}} {
		if got := readLines(t, path+suffix); !slices.Equal(got, want) {
			t.Errorf("web.log%s: got %q, want %q", suffix, got, want)
		}
	}
}

func TestFileJSON(t *testing.T) {
	checkFDs(t)
	path := filepath.Join(t.TempDir(), "web.log")
	s, _ := NewFile(path, FileOptions{Format: JSON})
	s.now = func() time.Time { return testTime }
	s.WriteLine("web", Stderr, []byte("oops \xff"))
	s.Close()
	var rec map[string]string
	if err := json.Unmarshal([]byte(readLines(t, path)[0]), &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"time": "2025-03-04T04:06:07.891234Z", "service": "web", "stream": "stderr", "line": "oops \ufffd"}
	if fmt.Sprint(rec) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", rec, want)
	}
}

// TestFileErrors: lines that cannot be written are dropped, counted and
// reported once per failure period; writing resumes when it can.
func TestFileErrors(t *testing.T) {
	checkFDs(t)
	dir := filepath.Join(t.TempDir(), "logs")
	os.Mkdir(dir, 0o755)
	var reported []error
	s, err := NewFile(filepath.Join(dir, "web.log"), FileOptions{
		MaxSize: 10, MaxFiles: 1, OnError: func(err error) { reported = append(reported, err) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write := func(l string) error { return s.WriteLine("web", Stdout, []byte(l)) }
	write("first-ok")
	os.RemoveAll(dir) // the next rotation cannot reopen the file
	for range 3 {
		if err := write("lost-one"); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("got %v, want ENOENT", err)
		}
	}
	os.Mkdir(dir, 0o755)
	if err := write("back-ok"); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	os.RemoveAll(dir)
	write("lost-two")
	if got := s.Dropped(); got != 4 {
		t.Errorf("dropped: got %d, want 4", got)
	}
	if len(reported) != 2 {
		t.Errorf("reported %d errors (%v), want 2: one per failure period", len(reported), reported)
	}
}

func TestFileDiskFull(t *testing.T) {
	checkFDs(t)
	s, err := NewFile("/dev/full", FileOptions{})
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer s.Close()
	calls := 0
	s.opt.OnError = func(error) { calls++ }
	for range 5 {
		if err := s.WriteLine("web", Stdout, []byte("x")); err == nil {
			t.Fatal("write to /dev/full: got nil, want ENOSPC")
		}
	}
	if s.Dropped() != 5 || calls != 1 {
		t.Errorf("got %d dropped and %d reports, want 5 and 1", s.Dropped(), calls)
	}
}

func TestFileClosed(t *testing.T) {
	checkFDs(t)
	s, _ := NewFile(filepath.Join(t.TempDir(), "web.log"), FileOptions{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	if err := s.WriteLine("web", Stdout, []byte("x")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("write after Close: got %v, want os.ErrClosed", err)
	}
}

func TestFileOpenError(t *testing.T) {
	if _, err := NewFile(filepath.Join(t.TempDir(), "no", "web.log"), FileOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want ENOENT", err)
	}
	if _, err := NewFile("x", FileOptions{MaxFiles: -1}); err == nil {
		t.Error("negative MaxFiles: got nil, want an error")
	}
}

// TestFileConcurrent writes from many goroutines through rotations: every
// line is whole and, per writer, in order across the files.
func TestFileConcurrent(t *testing.T) {
	checkFDs(t)
	path := filepath.Join(t.TempDir(), "web.log")
	const writers, lines = 4, 300
	s, _ := NewFile(path, FileOptions{MaxSize: 4096, MaxFiles: 100})
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range lines {
				s.WriteLine("web", Stdout, fmt.Appendf(nil, "w%d %04d %s", g, i, strings.Repeat("z", 20)))
			}
		})
	}
	wg.Wait()
	s.Close()
	var all []string
	for i := 100; i >= 1; i-- {
		if _, err := os.Stat(fmt.Sprintf("%s.%d", path, i)); err == nil {
			all = append(all, readLines(t, fmt.Sprintf("%s.%d", path, i))...)
		}
	}
	all = append(all, readLines(t, path)...)
	next := make([]int, writers)
	for _, l := range all {
		var g, i int
		if _, err := fmt.Sscanf(l, "w%d %04d", &g, &i); err != nil || i != next[g] || len(l) != 28 {
			t.Fatalf("line %q out of order or torn (want w%d %04d)", l, g, next[g])
		}
		next[g]++
	}
	if len(all) != writers*lines {
		t.Errorf("got %d lines, want %d", len(all), writers*lines)
	}
}
