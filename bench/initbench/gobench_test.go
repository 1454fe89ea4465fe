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
		{"orphans 5000 ns 1402111774 init_cpu_ns 26326947 init_switches 300 init_threads 1\n",
			orphanRun{5000, 1402111774, 26326947, 300, 1}, true},
		{"orphans 5000 ns 0 init_cpu_ns 1 init_switches 0 init_threads 1", orphanRun{}, false},
		{"orphans 5000 ns 10 init_cpu_ns 1 init_threads 1", orphanRun{}, false},
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

func TestParseLaunch(t *testing.T) {
	tests := []struct {
		out  string
		want launch
		ok   bool
	}{
		{"12 0 0\n345 1 0\n# init_switches 7 init_threads 1\n",
			launch{ns: []float64{12, 345}, same: []bool{true, false}, switches: 7}, true},
		{"12 0 0\n345 1 0\n", launch{}, false},
		{"12 0 0\nx 0 0\n# init_switches 7 init_threads 1\n", launch{}, false},
		{"12\n# init_switches 7 init_threads 1\n", launch{}, false},
		{"12 0 0 9\n# init_switches 7 init_threads 1\n", launch{}, false},
		{"12 0 0\n# init_switches x\n", launch{}, false},
	}
	for _, tt := range tests {
		got, err := parseLaunch([]byte(tt.out))
		if (err == nil) != tt.ok || (tt.ok && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("parseLaunch(%q): got %+v, %v; want %+v, ok %v", tt.out, got, err, tt.want, tt.ok)
		}
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
