package output

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestRingBounds(t *testing.T) {
	tests := []struct {
		name               string
		maxLines, maxBytes int
		in, want           []string
	}{
		{"under both", 5, 100, []string{"a", "b"}, []string{"a", "b"}},
		{"line bound", 3, 100, []string{"1", "2", "3", "4", "5"}, []string{"3", "4", "5"}},
		{"byte bound", 10, 10, []string{"aaaa", "bbbb", "cccc"}, []string{"bbbb", "cccc"}},
		{"long line truncated", 10, 4, []string{"a", "123456"}, []string{"1234"}},
		{"empty lines count", 2, 10, []string{"", "", "x"}, []string{"", "x"}},
		{"zero bounds become one", 0, 0, []string{"ab", "cd"}, []string{"c"}},
	}
	for _, tt := range tests {
		r := NewRing(tt.maxLines, tt.maxBytes)
		for _, l := range tt.in {
			r.WriteLine("web", Stdout, []byte(l))
		}
		if got := r.Lines(); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRingLong(t *testing.T) {
	r := NewRing(100, 1<<20)
	for i := range 10000 {
		r.WriteLine("web", Stdout, fmt.Appendf(nil, "%d", i))
	}
	got := r.Lines()
	if len(got) != 100 || got[0] != "9900" || got[99] != "9999" {
		t.Errorf("got %d lines %q…%q, want 100 lines 9900…9999", len(got), got[0], got[len(got)-1])
	}
	if cap(r.lines) > 400 {
		t.Errorf("ring holds a slice of cap %d for 100 lines", cap(r.lines))
	}
}

func TestRingConcurrent(t *testing.T) {
	r := NewRing(50, 2000)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 1000 {
				r.WriteLine("web", Stdout, []byte(strings.Repeat(fmt.Sprint(g), i%60)))
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			lines := r.Lines()
			n := 0
			for _, l := range lines {
				n += len(l)
			}
			if len(lines) > 50 || n > 2000 {
				t.Errorf("snapshot of %d lines, %d bytes: over the bounds", len(lines), n)
				return
			}
		}
	})
	wg.Wait()
}

func TestRingSnapshotIsACopy(t *testing.T) {
	r := NewRing(2, 100)
	r.WriteLine("web", Stdout, []byte("a"))
	snap := r.Lines()
	r.WriteLine("web", Stdout, []byte("b"))
	r.WriteLine("web", Stdout, []byte("c"))
	if !slices.Equal(snap, []string{"a"}) {
		t.Errorf("snapshot changed to %q", snap)
	}
}
