package services

import (
	"fmt"
	"os"
	"time"

	"github.com/tinit/tinit/services/cgroup"
)

// CgroupsWanted says whether tinit should set up cgroups for cfg: when a
// service has limits, or when tinit owns its cgroup (it is PID 1 of a
// container or a machine), where a cgroup per service makes stopping
// exact. A subreaper without limits leaves its cgroup alone: it shares
// it with whatever started it.
func CgroupsWanted(cfg *Config, ownsCgroup bool) bool {
	return ownsCgroup || len(CgroupControllers(cfg)) > 0
}

// CgroupControllers are the controllers cfg's limits need.
func CgroupControllers(cfg *Config) []string {
	var memory, cpu, pids bool
	for _, s := range cfg.Services {
		memory = memory || s.Cgroup.memory()
		cpu = cpu || s.Cgroup.cpu()
		pids = pids || s.Cgroup.pids()
	}
	var out []string
	for _, c := range []struct {
		name string
		on   bool
	}{{"cpu", cpu}, {"memory", memory}, {"pids", pids}} {
		if c.on {
			out = append(out, c.name)
		}
	}
	return out
}

// limitsOf converts a service's limits for package cgroup.
func limitsOf(c CgroupLimits) cgroup.Limits {
	var l cgroup.Limits
	if c.MemoryMax != nil && !c.MemoryMax.Max {
		l.MemoryMax = int64(c.MemoryMax.Value)
	}
	if c.PidsMax != nil && !c.PidsMax.Max {
		l.PidsMax = int64(c.PidsMax.Value)
	}
	if c.CPUMax != nil {
		l.CPU = cgroup.CPUMax{
			Quota:  time.Duration(c.CPUMax.Quota) * time.Microsecond,
			Period: time.Duration(c.CPUMax.Period) * time.Microsecond,
		}
	}
	return l
}

// cgroupDir returns the directory of u's cgroup, creating the group at
// the first start; nil when tinit runs without cgroups. A service with
// limits cannot start without its cgroup.
func (s *Supervisor) cgroupDir(u *unit) (*os.File, error) {
	if s.opt.Cgroups == nil {
		if u.svc.Cgroup.Any() {
			return nil, fmt.Errorf("memory_max, cpu_max and pids_max need a cgroup v2 that tinit manages: %v", s.opt.CgroupErr)
		}
		return nil, nil
	}
	if u.group == nil {
		g, err := s.opt.Cgroups.Create(u.svc.Name, limitsOf(u.svc.Cgroup))
		if err != nil {
			return nil, err
		}
		u.group = g
	}
	return u.group.Dir(), nil
}
