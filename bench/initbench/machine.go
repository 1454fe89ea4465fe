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
	cpus   int
	cpu    string
}

func thisMachine() machine {
	var u unix.Utsname
	unix.Uname(&u)
	return machine{
		date:   time.Now().UTC(),
		kernel: unix.ByteSliceToString(u.Release[:]),
		cpus:   runtime.NumCPU(),
		cpu:    cpuModel(),
	}
}

func (m machine) String() string {
	return fmt.Sprintf("%s UTC, %d vCPU (%s), kernel %s", m.date.Format("2006-01-02 15:04"), m.cpus, m.cpu, m.kernel)
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
