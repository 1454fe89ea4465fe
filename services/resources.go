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

// Any reports whether at least one limit is set: "max" is none.
func (c CgroupLimits) Any() bool { return c.memory() || c.cpu() || c.pids() }

// memory, cpu and pids report whether c limits memory, CPU time and
// tasks; those are the controllers c needs.
func (c CgroupLimits) memory() bool { return c.MemoryMax != nil && !c.MemoryMax.Max }
func (c CgroupLimits) cpu() bool    { return c.CPUMax != nil && c.CPUMax.Quota != 0 }
func (c CgroupLimits) pids() bool   { return c.PidsMax != nil && !c.PidsMax.Max }

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

// ParseCPUMax reads "50%" (of one CPU; "250%" is two and a half), a
// number of CPUs ("1.5"), "max", or cpu.max's own form "QUOTA PERIOD" or
// "max PERIOD" in microseconds. The first two use a period of 100ms.
func ParseCPUMax(text string) (CPUMax, error) {
	fields := strings.Fields(text)
	switch {
	case text == "max":
		return CPUMax{Period: cpuPeriodDefault}, nil
	case len(fields) == 2 && fields[0]+" "+fields[1] == text:
		return parseCPUFields(text, fields[0], fields[1])
	case strings.HasSuffix(text, "%"):
		return parseCPUShare(text, strings.TrimSuffix(text, "%"), 100)
	}
	return parseCPUShare(text, text, 1)
}

// parseCPUShare reads a share of one CPU: number/per CPUs.
func parseCPUShare(text, number string, per float64) (CPUMax, error) {
	f, err := strconv.ParseFloat(number, 64)
	quota := math.Round(f / per * cpuPeriodDefault)
	if err != nil || math.IsNaN(f) || strings.ContainsAny(number, "eEpPxX_") {
		return CPUMax{}, fmt.Errorf(`invalid cpu_max %q: want a percentage of one CPU ("50%%"), a number of CPUs ("1.5"), "max", or "QUOTA PERIOD" in microseconds`, text)
	}
	if quota < cpuQuotaMin || quota > cpuPeriodDefault*maxCPUs {
		return CPUMax{}, fmt.Errorf("invalid cpu_max %q: must be 1%% to %d%% (%d CPUs)", text, 100*maxCPUs, maxCPUs)
	}
	return CPUMax{Quota: uint64(quota), Period: cpuPeriodDefault}, nil
}

// parseCPUFields reads "QUOTA PERIOD" or "max PERIOD", in microseconds.
func parseCPUFields(text, quota, period string) (CPUMax, error) {
	p, err := strconv.ParseUint(period, 10, 64)
	if err != nil || p < cpuPeriodMin || p > cpuPeriodMax {
		return CPUMax{}, fmt.Errorf("invalid cpu_max %q: period must be %d to %d microseconds", text, cpuPeriodMin, cpuPeriodMax)
	}
	if quota == "max" {
		return CPUMax{Period: p}, nil
	}
	q, err := strconv.ParseUint(quota, 10, 64)
	if err != nil || q < cpuQuotaMin || q > p*maxCPUs {
		return CPUMax{}, fmt.Errorf("invalid cpu_max %q: quota must be \"max\" or %d to %d microseconds (%d CPUs)", text, cpuQuotaMin, p*maxCPUs, maxCPUs)
	}
	return CPUMax{Quota: q, Period: p}, nil
}
