// Command spawntrace splits one spawn+wait of a static program into the
// parts the kernel and each side spend, for tinit's path (reaper.Start,
// Process.Wait, Process.Close) and for os/exec (Cmd.Start, Cmd.Wait), in
// alternating blocks as BenchmarkSpawnWait runs them. It writes a marker
// into the kernel's trace buffer (tracefs) at each step, with the
// scheduler's fork, exec and exit events of the children enabled, and
// prints the median of each interval. Tracing adds a few microseconds to
// every event, so compare the two paths, not the figures with the
// benchmark's.
//
// Needs root and tracefs at /sys/kernel/tracing; bench/RESULTS.md says
// what it showed. Usage (a static true: bench/c/true.c):
//
//	gcc -static -nostdlib -O2 -o /tmp/true bench/c/true.c
//	go run ./bench/spawntrace -prog /tmp/true -n 500
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tinit/tinit/reaper"
)

const tracefs = "/sys/kernel/tracing"

var events = []string{"sched:sched_process_fork", "sched:sched_process_exec", "sched:sched_process_exit"}

func main() {
	prog := flag.String("prog", "", "the static program to spawn (required)")
	n := flag.Int("n", 500, "spawns of each path")
	flag.Parse()
	if *prog == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*prog, *n); err != nil {
		fmt.Fprintln(os.Stderr, "spawntrace:", err)
		os.Exit(1)
	}
}

func run(prog string, n int) error {
	if err := setupTrace(); err != nil {
		return err
	}
	defer write("tracing_on", "0")
	marker, err := os.OpenFile(filepath.Join(tracefs, "trace_marker"), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer marker.Close()
	mark := func(s string) { marker.WriteString(s) }
	if err := spawnBlocks(prog, n, mark); err != nil {
		return err
	}
	if err := write("tracing_on", "0"); err != nil {
		return err
	}
	cycles, err := readCycles(filepath.Base(prog))
	if err != nil {
		return err
	}
	report(cycles)
	return nil
}

// setupTrace empties the trace buffer and enables the events.
func setupTrace() error {
	for _, kv := range [][2]string{{"tracing_on", "0"}, {"trace", ""}, {"buffer_size_kb", "32768"},
		{"set_event", strings.Join(events, "\n")}, {"tracing_on", "1"}} {
		if err := write(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

func write(file, value string) error {
	return os.WriteFile(filepath.Join(tracefs, file), []byte(value+"\n"), 0)
}

// spawnBlocks spawns n times through each path, in blocks of 50, marking
// start (0), started (1), waited (2) and closed (3): T for tinit's path,
// E for os/exec's. A Reaper takes every child's status, so none runs
// during os/exec's blocks.
func spawnBlocks(prog string, n int, mark func(string)) error {
	env := os.Environ()
	for done := 0; done < n; done += 50 {
		r, err := reaper.New(reaper.Options{})
		if err != nil {
			return err
		}
		for range min(50, n-done) {
			mark("T0")
			p, err := r.Start(&reaper.Spec{Path: prog, Env: env})
			if err != nil {
				r.Close()
				return err
			}
			mark("T1")
			_, err = p.Wait(context.Background())
			mark("T2")
			p.Close()
			mark("T3")
			if err != nil {
				r.Close()
				return err
			}
		}
		r.Close()
		for range min(50, n-done) {
			mark("E0")
			cmd := exec.Command(prog)
			if err := cmd.Start(); err != nil {
				return err
			}
			mark("E1")
			err := cmd.Wait()
			mark("E2")
			mark("E3")
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// cycle is one spawn: the time in µs of each marker and event.
type cycle struct {
	path string // "T" or "E"
	at   map[string]float64
}

var (
	line    = regexp.MustCompile(`\s(\d+\.\d+): (\w+): (.*)$`)
	childID = regexp.MustCompile(`\bchild_pid=(\d+)`)
	pidID   = regexp.MustCompile(`\bpid=(\d+)`)
)

// readCycles reads the trace back into cycles; comm is the child's name
// after exec.
func readCycles(comm string) ([]cycle, error) {
	f, err := os.Open(filepath.Join(tracefs, "trace"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseCycles(f, comm)
}

// parseCycles reads trace lines: each cycle runs from a 0 marker to a 3
// marker. Its child is the process forked in the cycle that then execs
// comm: the Go runtime may start a thread meanwhile (a fork too), and
// other processes may exec and exit.
func parseCycles(r io.Reader, comm string) ([]cycle, error) {
	var cycles []cycle
	var cur *cycle
	forks := map[string]float64{} // child pid → fork time, this cycle
	child := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		sec, _ := strconv.ParseFloat(m[1], 64)
		t, event, rest := sec*1e6, m[2], m[3]
		switch {
		case event == "tracing_mark_write" && len(rest) == 2:
			if rest[1] == '0' {
				cur = &cycle{path: rest[:1], at: map[string]float64{}}
				clear(forks)
				child = ""
			}
			if cur != nil {
				cur.at[rest[1:]] = t
				if rest[1] == '3' {
					cycles = append(cycles, *cur)
					cur = nil
				}
			}
		case cur == nil:
		case event == "sched_process_fork":
			if c := childID.FindStringSubmatch(rest); c != nil {
				forks[c[1]] = t
			}
		case event == "sched_process_exec" && strings.Contains(rest, "/"+comm+" "):
			p := pidID.FindStringSubmatch(rest)
			if p == nil || child != "" {
				break
			}
			if ft, ok := forks[p[1]]; ok {
				child = p[1]
				cur.at["fork"], cur.at["exec"] = ft, t
			}
		case event == "sched_process_exit" && child != "":
			if p := pidID.FindStringSubmatch(rest); p != nil && p[1] == child {
				setOnce(cur.at, "exit", t)
			}
		}
	}
	return cycles, sc.Err()
}

func setOnce(m map[string]float64, k string, t float64) {
	if _, ok := m[k]; !ok {
		m[k] = t
	}
}

// intervals are what report prints, from one point to another.
var intervals = []struct{ from, to, what string }{
	{"0", "fork", "start → clone done (parent: prepare, clone)"},
	{"fork", "exec", "clone done → exec done (child: setup, execve)"},
	{"1", "exec", "start returned → exec done"},
	{"exec", "exit", "exec done → exit (the program)"},
	{"exit", "2", "exit → wait returned"},
	{"2", "3", "wait returned → closed"},
	{"0", "1", "start"},
	{"1", "3", "wait (and close)"},
	{"0", "3", "total"},
}

func report(cycles []cycle) {
	fmt.Printf("| median µs | tinit | os/exec |\n|---|---:|---:|\n")
	for _, iv := range intervals {
		fmt.Printf("| %s | %s | %s |\n", iv.what, median(cycles, "T", iv.from, iv.to), median(cycles, "E", iv.from, iv.to))
	}
	fmt.Printf("\ncycles with every event: tinit %d, os/exec %d\n", complete(cycles, "T"), complete(cycles, "E"))
}

func median(cycles []cycle, path, from, to string) string {
	var d []float64
	for _, c := range cycles {
		a, okA := c.at[from]
		b, okB := c.at[to]
		if c.path == path && okA && okB {
			d = append(d, b-a)
		}
	}
	if len(d) == 0 {
		return "—"
	}
	slices.Sort(d)
	return strconv.FormatFloat(d[len(d)/2], 'f', 0, 64)
}

func complete(cycles []cycle, path string) int {
	n := 0
	for _, c := range cycles {
		if c.path == path && len(c.at) == 7 {
			n++
		}
	}
	return n
}
