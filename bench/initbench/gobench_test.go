package main

import (
	"reflect"
	"testing"
)

func TestParseBenchLine(t *testing.T) {
	tests := []struct {
		line string
		want benchLine
		ok   bool
	}{
		{"BenchmarkSpawnWait/tier=pidfd-2   2000  1915955 ns/op  0.8142 tinit/osexec", benchLine{
			name: "BenchmarkSpawnWait/tier=pidfd-2", n: 2000,
			metrics: []metric{{1915955, "ns/op"}, {0.8142, "tinit/osexec"}},
		}, true},
		{"BenchmarkOrphansPID1-2 4 13549137713 ns/op", benchLine{
			name: "BenchmarkOrphansPID1-2", n: 4, metrics: []metric{{13549137713, "ns/op"}},
		}, true},
		{"goos: linux", benchLine{}, false},
		{"BenchmarkX-2 notanumber 1 ns/op", benchLine{}, false},
		{"BenchmarkX-2 1 1 ns/op 2", benchLine{}, false},
		{"BenchmarkX-2 1 x ns/op", benchLine{}, false},
		{"PASS", benchLine{}, false},
	}
	for _, tt := range tests {
		got, ok := parseBenchLine(tt.line)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseBenchLine(%q): got %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseOrphanRun(t *testing.T) {
	tests := []struct {
		out  string
		want orphanRun
		ok   bool
	}{
		{"orphans 5000 ns 1402111774 init_cpu_ns 26326947 init_threads 1\n", orphanRun{5000, 1402111774, 26326947, 1}, true},
		{"orphans 5000 ns 0 init_cpu_ns 1 init_threads 1", orphanRun{}, false},
		{"orphans five", orphanRun{}, false},
		{"", orphanRun{}, false},
	}
	for _, tt := range tests {
		got, err := parseOrphanRun(tt.out)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("parseOrphanRun(%q): got %+v, %v; want %+v, ok %v", tt.out, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	got, err := parseNumbers([]byte("12\n345\n"))
	if err != nil || !reflect.DeepEqual(got, []float64{12, 345}) {
		t.Errorf("got %v, %v; want [12 345]", got, err)
	}
	if _, err := parseNumbers([]byte("12\nx\n")); err == nil {
		t.Error("parseNumbers accepted x")
	}
}

func TestRotate(t *testing.T) {
	xs := []int{1, 2, 3}
	for i, want := range [][]int{{1, 2, 3}, {2, 3, 1}, {3, 1, 2}, {1, 2, 3}} {
		if got := rotate(xs, i); !reflect.DeepEqual(got, want) {
			t.Errorf("rotate(%v, %d): got %v, want %v", xs, i, got, want)
		}
	}
}
