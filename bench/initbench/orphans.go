package main

import (
	"fmt"
	"strconv"
	"strings"
)

// orphanMode is one way of making orphans (see bench/c/orphans.c).
type orphanMode struct {
	name string
	n    int
}

func (m orphanMode) command(orphans string) []string {
	return []string{orphans, m.name, strconv.Itoa(m.n)}
}

// orphanRun is what bench/c/orphans prints after one run.
type orphanRun struct {
	orphans, ns, initCPUns, switches, threads float64
}

func (o orphanRun) rate() float64              { return o.orphans / o.ns * 1e9 }
func (o orphanRun) cpuPerOrphan() float64      { return o.initCPUns / o.orphans }
func (o orphanRun) switchesPerOrphan() float64 { return o.switches / o.orphans }

func parseOrphanRun(out string) (orphanRun, error) {
	var o orphanRun
	line := strings.TrimSpace(out)
	if _, err := fmt.Sscanf(line, "orphans %g ns %g init_cpu_ns %g init_switches %g init_threads %g",
		&o.orphans, &o.ns, &o.initCPUns, &o.switches, &o.threads); err != nil {
		return o, fmt.Errorf("parse %q: %w", line, err)
	}
	if o.ns <= 0 || o.orphans <= 0 {
		return o, fmt.Errorf("parse %q: counts must be positive", line)
	}
	return o, nil
}

// measureOrphans runs each init rounds times with each mode's orphan
// maker as its child, interleaved; results by mode, then by init.
func measureOrphans(ps []initProg, modes []orphanMode, orphans string, rounds int) (map[string]map[string][]orphanRun, error) {
	res := map[string]map[string][]orphanRun{}
	for _, m := range modes {
		res[m.name] = map[string][]orphanRun{}
	}
	for i := range rounds {
		for _, m := range modes {
			for _, p := range rotate(ps, i) {
				o, err := runOrphans(p, m, orphans)
				if err != nil {
					return nil, err
				}
				res[m.name][p.name] = append(res[m.name][p.name], o)
			}
		}
	}
	return res, nil
}

func runOrphans(p initProg, m orphanMode, orphans string) (orphanRun, error) {
	cmd := pid1Command(p, m.command(orphans)...)
	out, err := cmd.Output()
	if err != nil {
		return orphanRun{}, fmt.Errorf("orphans %s under %s: %v", m.name, p.name, err)
	}
	o, err := parseOrphanRun(string(out))
	if err != nil {
		return o, fmt.Errorf("orphans %s under %s: %w", m.name, p.name, err)
	}
	if int(o.orphans) != m.n {
		return o, fmt.Errorf("orphans %s under %s: made %v, want %d", m.name, p.name, o.orphans, m.n)
	}
	return o, nil
}

func orphanModes(release, trickle int) []orphanMode {
	return []orphanMode{{name: "release", n: release}, {name: "trickle", n: trickle}}
}
