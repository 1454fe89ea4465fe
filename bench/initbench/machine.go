package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// machine describes where and when the figures were taken.
type machine struct {
	date   time.Time
	kernel string
	sched  []string // the scheduler's options on the kernel command line
	cpus   int
	cpu    string
}

func thisMachine() machine {
	var u unix.Utsname
	unix.Uname(&u)
	return machine{
		date:   time.Now().UTC(),
		kernel: unix.ByteSliceToString(u.Release[:]),
		sched:  schedOptions(readString("/proc/cmdline")),
		cpus:   runtime.NumCPU(),
		cpu:    cpuModel(),
	}
}

func (m machine) String() string {
	kernel := m.kernel
	if len(m.sched) > 0 {
		kernel += " (" + strings.Join(m.sched, " ") + ")"
	}
	return fmt.Sprintf("%s UTC, %d vCPU (%s), kernel %s", m.date.Format("2006-01-02 15:04"), m.cpus, m.cpu, kernel)
}

// schedOptions returns the words of a kernel command line that set the
// scheduler (those that begin with "sched"), which decide where a woken
// process runs and so the latency figures; none on a stock kernel booted
// plainly. The words after "--" are init's, not the kernel's.
func schedOptions(cmdline string) []string {
	var opts []string
	for _, w := range strings.Fields(cmdline) {
		if w == "--" {
			break
		}
		if strings.HasPrefix(w, "sched") {
			opts = append(opts, w)
		}
	}
	return opts
}

// readString is the file at path, or "" if it cannot be read.
func readString(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// load is the 1-minute load average, as /proc/loadavg gives it.
func load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// loadSpan records the load before and after a phase.
type loadSpan struct{ before, after string }

func (l loadSpan) String() string { return "load " + l.before + " → " + l.after }

// during runs f and records the load around it.
func during(f func() error) (loadSpan, error) {
	l := loadSpan{before: load()}
	err := f()
	l.after = load()
	return l, err
}
