package cgroup

import (
	"errors"
	"fmt"
	"strconv"
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

// DefaultCPUPeriod is the period of a CPUMax without one, the kernel's
// default.
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

// period returns Period, or DefaultCPUPeriod when it is zero.
func (c CPUMax) period() time.Duration {
	if c.Period == 0 {
		return DefaultCPUPeriod
	}
	return c.Period
}

// Check says whether the kernel accepts c in cpu.max.
func (c CPUMax) Check() error {
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
		if err := l.CPU.Check(); err != nil {
			return nil, fmt.Errorf("cpu.max: %w", err)
		}
		out = append(out, setting{"cpu", "cpu.max", l.CPU.String()})
	}
	if l.PidsMax > 0 {
		out = append(out, setting{"pids", "pids.max", strconv.FormatInt(l.PidsMax, 10)})
	}
	return out, nil
}
