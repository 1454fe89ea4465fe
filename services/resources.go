package services

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CgroupLimits are the cgroup v2 limits of one service. A nil field is
// left as the kernel's default (no limit) and not written.
type CgroupLimits struct {
	MemoryMax *Quantity // memory.max, bytes
	CPUMax    *CPUMax   // cpu.max
	PidsMax   *Quantity // pids.max, tasks (threads count)
}

// Any reports whether at least one limit is set.
func (c CgroupLimits) Any() bool { return c.MemoryMax != nil || c.CPUMax != nil || c.PidsMax != nil }

// Quantity is a cgroup limit: a number, or Max for no limit.
type Quantity struct {
	Value uint64
	Max   bool
}

// String is the text written to the cgroup file: "max" or the number.
func (q Quantity) String() string {
	if q.Max {
		return "max"
	}
	return strconv.FormatUint(q.Value, 10)
}

// Bounds of cpu.max, in microseconds, as the kernel accepts them.
const (
	cpuPeriodMin     = 1000
	cpuPeriodMax     = 1000000
	cpuPeriodDefault = 100000
	cpuQuotaMin      = 1000
	maxCPUs          = 1024 // a quota of more CPUs than this is refused
)

// CPUMax is a cgroup v2 cpu.max: Quota microseconds of CPU time in every
// Period microseconds; Quota 0 means no limit.
type CPUMax struct {
	Quota  uint64
	Period uint64
}

// String is the text written to cpu.max: "50000 100000" or "max 100000".
func (c CPUMax) String() string {
	q := "max"
	if c.Quota != 0 {
		q = strconv.FormatUint(c.Quota, 10)
	}
	return q + " " + strconv.FormatUint(c.Period, 10)
}

// ParseCPUMax reads "50%" (of one CPU; "250%" is two and a half), "max",
// or cpu.max's own form "QUOTA PERIOD" / "max PERIOD" in microseconds.
func ParseCPUMax(text string) (CPUMax, error) {
	if pct, ok := strings.CutSuffix(text, "%"); ok {
		return parseCPUPercent(text, pct)
	}
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields) > 2 {
		return CPUMax{}, fmt.Errorf("invalid cpu_max %q: want a percentage like \"50%%\", \"max\", or \"QUOTA PERIOD\" in microseconds", text)
	}
	c := CPUMax{Period: cpuPeriodDefault}
	if len(fields) == 2 {
		p, err := strconv.ParseUint(fields[1], 10, 64)
		if err != nil || p < cpuPeriodMin || p > cpuPeriodMax {
			return CPUMax{}, fmt.Errorf("invalid cpu_max %q: period must be %d to %d microseconds", text, cpuPeriodMin, cpuPeriodMax)
		}
		c.Period = p
	}
	if fields[0] == "max" {
		return c, nil
	}
	q, err := strconv.ParseUint(fields[0], 10, 64)
	if err != nil || q < cpuQuotaMin || q > c.Period*maxCPUs {
		return CPUMax{}, fmt.Errorf("invalid cpu_max %q: quota must be \"max\" or %d to %d microseconds (%d CPUs)", text, cpuQuotaMin, c.Period*maxCPUs, maxCPUs)
	}
	c.Quota = q
	return c, nil
}

func parseCPUPercent(text, pct string) (CPUMax, error) {
	p, err := strconv.ParseFloat(pct, 64)
	minPct := 100.0 * cpuQuotaMin / cpuPeriodDefault
	if err != nil || math.IsNaN(p) || p < minPct || p > 100*maxCPUs || strings.ContainsAny(pct, "eEpPxX_") {
		return CPUMax{}, fmt.Errorf("invalid cpu_max %q: percentage must be %g%% to %d%% of one CPU", text, minPct, 100*maxCPUs)
	}
	return CPUMax{Quota: uint64(math.Round(p * cpuPeriodDefault / 100)), Period: cpuPeriodDefault}, nil
}
