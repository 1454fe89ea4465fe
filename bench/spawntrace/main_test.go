package main

import (
	"strings"
	"testing"
)

// A trace as tracefs prints it: one cycle of each path, a thread the Go
// runtime starts (a fork too) inside the first, and another process of
// the same name that execs and exits meanwhile.
const trace = `# tracer: nop
      spawntrace-100   [000] ...1. 10.000100: tracing_mark_write: T0
      spawntrace-100   [001] ..... 10.000110: sched_process_fork: comm=spawntrace pid=100 child_comm=spawntrace child_pid=101
      spawntrace-100   [000] ..... 10.000120: sched_process_fork: comm=spawntrace pid=100 child_comm=spawntrace child_pid=102
      spawntrace-100   [000] ...1. 10.000200: tracing_mark_write: T1
            sh-900     [001] ..... 10.000210: sched_process_exec: filename=/bin/true pid=900 old_pid=900
            true-900   [001] ..... 10.000240: sched_process_exit: comm=true pid=900 prio=120 group_dead=true
            true-102   [000] ..... 10.000250: sched_process_exec: filename=/tmp/true pid=102 old_pid=102
            true-102   [000] ..... 10.000260: sched_process_exit: comm=true pid=102 prio=120 group_dead=true
      spawntrace-100   [000] ...1. 10.000300: tracing_mark_write: T2
      spawntrace-100   [000] ...1. 10.000310: tracing_mark_write: T3
      spawntrace-100   [000] ...1. 10.001000: tracing_mark_write: E0
      spawntrace-100   [000] ..... 10.001050: sched_process_fork: comm=spawntrace pid=100 child_comm=spawntrace child_pid=103
            true-103   [001] ..... 10.001150: sched_process_exec: filename=/tmp/true pid=103 old_pid=103
      spawntrace-100   [000] ...1. 10.001160: tracing_mark_write: E1
            true-103   [001] ..... 10.001170: sched_process_exit: comm=true pid=103 prio=120 group_dead=true
      spawntrace-100   [000] ...1. 10.001220: tracing_mark_write: E2
      spawntrace-100   [000] ...1. 10.001221: tracing_mark_write: E3
      spawntrace-100   [000] ...1. 10.002000: tracing_mark_write: T0
`

func TestParseCycles(t *testing.T) {
	cycles, err := parseCycles(strings.NewReader(trace), "true")
	if err != nil {
		t.Fatal(err)
	}
	if len(cycles) != 2 {
		t.Fatalf("got %d cycles, want 2 (the last has no end)", len(cycles))
	}
	want := []struct {
		path string
		at   map[string]float64
	}{
		{"T", map[string]float64{"0": 100, "fork": 120, "1": 200, "exec": 250, "exit": 260, "2": 300, "3": 310}},
		{"E", map[string]float64{"0": 1000, "fork": 1050, "exec": 1150, "1": 1160, "exit": 1170, "2": 1220, "3": 1221}},
	}
	for i, w := range want {
		c := cycles[i]
		if c.path != w.path || len(c.at) != len(w.at) {
			t.Errorf("cycle %d: got %s %v, want %s %v", i, c.path, c.at, w.path, w.at)
			continue
		}
		for k, v := range w.at {
			if got := c.at[k] - 10e6; got < v-0.5 || got > v+0.5 {
				t.Errorf("cycle %d: %s at %.1f µs, want %.0f", i, k, got, v)
			}
		}
	}
	if got := median(cycles, "T", "fork", "exec"); got != "130" {
		t.Errorf("tinit clone → exec: got %s µs, want 130 (from the child's fork, not the thread's)", got)
	}
	if got := complete(cycles, "E"); got != 1 {
		t.Errorf("complete os/exec cycles: got %d, want 1", got)
	}
}
