package cgroup

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Limits are the resource limits of one service's group. A zero field
// leaves the kernel's default, no limit.
type Limits struct {
	MemoryMax int64  // memory.max, bytes
	CPU       CPUMax // cpu.max
	PidsMax   int64  // pids.max; the pids controller counts threads
}

// CPUMax is a CPU bandwidth limit: Quota of CPU time in every Period.
// A zero Quota means no limit.
type CPUMax struct {
	Quota  time.Duration
	Period time.Duration
}

// DefaultCPUPeriod is the period ParseCPU uses, the kernel's default.
const DefaultCPUPeriod = 100 * time.Millisecond

// The kernel's bounds on cpu.max (kernel/sched/core.c).
const (
	minCPUQuota  = time.Millisecond
	minCPUPeriod = time.Millisecond
	maxCPUPeriod = time.Second
	maxCPUs      = 1 << 16 // no machine has more; anything above is a typo
)

// String returns the value to write to cpu.max: "quota period" in
// microseconds, or "max period".
func (c CPUMax) String() string {
	period := c.period()
	if c.Quota == 0 {
		return fmt.Sprintf("max %d", period.Microseconds())
	}
	return fmt.Sprintf("%d %d", c.Quota.Microseconds(), period.Microseconds())
}

// ParseCPU parses a CPU limit: "max" (none), a number of CPUs ("1.5"), or
// a percentage of one CPU ("50%", "250%"), over DefaultCPUPeriod.
func ParseCPU(s string) (CPUMax, error) {
	if s == "max" {
		return CPUMax{}, nil
	}
	num, percent := strings.CutSuffix(s, "%")
	cpus, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(cpus) || math.IsInf(cpus, 0) || strings.ContainsAny(num, "eExXpP_") {
		return CPUMax{}, fmt.Errorf("parse cpu limit %q: want max, CPUs (1.5) or a percentage (150%%)", s)
	}
	if percent {
		cpus /= 100
	}
	c := CPUMax{Quota: time.Duration(math.Round(cpus*float64(DefaultCPUPeriod/time.Microsecond))) * time.Microsecond, Period: DefaultCPUPeriod}
	if err := c.check(); err != nil {
		return CPUMax{}, fmt.Errorf("parse cpu limit %q: %w", s, err)
	}
	return c, nil
}

// period returns Period, or DefaultCPUPeriod when it is zero.
func (c CPUMax) period() time.Duration {
	if c.Period == 0 {
		return DefaultCPUPeriod
	}
	return c.Period
}

func (c CPUMax) check() error {
	switch p := c.period(); {
	case p < minCPUPeriod || p > maxCPUPeriod:
		return fmt.Errorf("period %v outside [%v, %v]", p, minCPUPeriod, maxCPUPeriod)
	case c.Quota < minCPUQuota:
		return fmt.Errorf("quota %v below the kernel's minimum %v", c.Quota, minCPUQuota)
	case c.Quota/p > maxCPUs:
		return fmt.Errorf("more than %d CPUs", maxCPUs)
	}
	return nil
}

// ParseSize parses a size in bytes: digits with an optional 1024-based
// suffix K, M, G or T (either case), e.g. "512M".
func ParseSize(s string) (int64, error) {
	num, shift := s, 0
	if n := len(s); n > 0 {
		if i := strings.IndexByte("KMGT", upper(s[n-1])); i >= 0 {
			num, shift = s[:n-1], 10*(i+1)
		}
	}
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil || v < 0 || num[0] == '+' || num[0] == '-' {
		return 0, fmt.Errorf("parse size %q: want digits and an optional K, M, G or T", s)
	}
	if v > math.MaxInt64>>shift {
		return 0, fmt.Errorf("parse size %q: too large", s)
	}
	return v << shift, nil
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// setting is one value written to one interface file of a group.
type setting struct {
	controller string
	file       string
	value      string
}

// String reads like the shell command it performs.
func (s setting) String() string { return fmt.Sprintf("echo %q > %s", s.value, s.file) }

// settings lists the files Limits writes, in a fixed order.
func (l Limits) settings() ([]setting, error) {
	var out []setting
	if l.MemoryMax < 0 || l.PidsMax < 0 {
		return nil, errors.New("negative limit")
	}
	if l.MemoryMax > 0 {
		out = append(out, setting{"memory", "memory.max", strconv.FormatInt(l.MemoryMax, 10)})
	}
	if l.CPU.Quota > 0 {
		if err := l.CPU.check(); err != nil {
			return nil, fmt.Errorf("cpu.max: %w", err)
		}
		out = append(out, setting{"cpu", "cpu.max", l.CPU.String()})
	}
	if l.PidsMax > 0 {
		out = append(out, setting{"pids", "pids.max", strconv.FormatInt(l.PidsMax, 10)})
	}
	return out, nil
}
