package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// benchLine is one result line of go test -bench.
type benchLine struct {
	name    string
	n       int
	metrics []metric // in the order printed, ns/op first
}

type metric struct {
	value float64
	unit  string
}

// parseBenchLine parses "BenchmarkX-2  N  V unit  V unit ...".
func parseBenchLine(line string) (benchLine, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
		return benchLine{}, false
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		return benchLine{}, false
	}
	b := benchLine{name: f[0], n: n}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return benchLine{}, false
		}
		b.metrics = append(b.metrics, metric{v, f[i+1]})
	}
	return b, true
}

func (b benchLine) get(unit string) (float64, bool) {
	for _, m := range b.metrics {
		if m.unit == unit {
			return m.value, true
		}
	}
	return 0, false
}

const reaperHeading = "## reaper: spawn and orphan reaping"

// goBenchSection formats the output of the reaper benchmarks.
func goBenchSection(path, command string, m machine) (section, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return section{}, err
	}
	var lines []benchLine
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for sc.Scan() {
		if l, ok := parseBenchLine(sc.Text()); ok {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return section{}, fmt.Errorf("no benchmark result in %s", path)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nMeasured by `make bench` on %v, with\n`%s`\n", m, command)
	b.WriteString(reaperIntro)
	writeBenchGoals(&b, lines)
	writeBenchTables(&b, lines)
	b.WriteString("Raw output:\n\n```\n" + strings.TrimRight(string(raw), "\n") + "\n```\n")
	return section{heading: reaperHeading, body: b.String()}, nil
}

const reaperIntro = `
- BenchmarkSpawnWait: a static ` + "`true`" + ` (bench/c/true.c: no libc, _start calls
  exit_group) spawned and waited for through tinit's path (reaper.New once,
  then Start + Wait + Process.Close each) and through
  ` + "`exec.Command(true).Run()`" + `, in alternating blocks of 64. A running
  Reaper takes every child's status, so it is closed around each os/exec
  block and a new one made after. A third path, the floor, is Start's own
  code (prepare and clone) with the child waited for as os/exec waits, by
  a thread blocked in wait4, with no netpoller and no reaper loop:
  floor/osexec-med is what tinit's spawn would cost if tinit could afford
  a thread per process. One op is one spawn of each path; the
  sub-benchmark names the tier.
- BenchmarkOrphansPID1: the reaper as PID 1 of a new PID namespace (the test
  binary as helper-bench-init) against bench/c/waitinit.c (a blocking
  waitpid(-1) loop), alternating, both running the vfork storm of
  reaper/storm_test.go (10 batches of 1,000 zombies). Each init times itself
  from starting the storm until the storm has exited and every orphan is
  reaped; CPU is the init's own user+system time (all threads).

`

func writeBenchGoals(b *strings.Builder, lines []benchLine) {
	b.WriteString("| goal | measured | met |\n|---|---:|---|\n")
	for _, l := range lines {
		if v, ok := l.get("tinit/osexec"); ok {
			fmt.Fprintf(b, "| %s: tinit at most 0.8× os/exec (mean) | %.2f× | %s |\n", l.name, v, yesNo(v <= 0.8))
		}
		if v, ok := l.get("tinit/osexec-med"); ok {
			fmt.Fprintf(b, "| %s: tinit at most 0.8× os/exec (median) | %.2f× | %s |\n", l.name, v, yesNo(v <= 0.8))
		}
		if v, ok := l.get("tinit/c"); ok {
			fmt.Fprintf(b, "| %s: orphans/s at least the C waitpid loop's | %.2f× | %s |\n", l.name, v, yesNo(v >= 1))
		}
		t, okT := l.get("tinit-cpu-ns/orphan")
		c, okC := l.get("c-cpu-ns/orphan")
		if okT && okC {
			fmt.Fprintf(b, "| %s: init CPU per orphan at most the C waitpid loop's | %.2f× | %s |\n", l.name, t/c, yesNo(t <= c))
		}
	}
	b.WriteString("\n")
}

func writeBenchTables(b *strings.Builder, lines []benchLine) {
	for _, l := range lines {
		fmt.Fprintf(b, "%s (%d ops):\n\n| metric | value |\n|---|---:|\n", l.name, l.n)
		for _, m := range l.metrics {
			fmt.Fprintf(b, "| %s | %s |\n", m.unit, strconv.FormatFloat(m.value, 'f', -1, 64))
		}
		b.WriteString("\n")
	}
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
