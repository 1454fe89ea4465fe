package main

import (
	"fmt"
	"syscall"
	"time"
)

// startConfig says how the start-up is sampled.
type startConfig struct {
	trueBin          string // bench/c/true.c: exits at once, no C library
	rounds, launches int    // launches of each init per round
}

// noInit is the floor of the start-up table: the launcher running true
// itself, without an init.
const noInit = "(no init)"

// startRound is one round of one init: the medians over its launches of
// `INIT -- true` as PID 1, from fork to exit, of the wall time and of the
// CPU time of the launcher, the init and true together.
type startRound struct{ wallNS, cpuNS float64 }

// measureStartup launches each init cfg.launches times per round, rounds
// interleaved, each time as PID 1 with true for its child; and the floor,
// true alone, the same way. By init name (the floor: noInit).
func measureStartup(ps []initProg, cfg startConfig) (map[string][]startRound, error) {
	progs := append(append([]initProg{}, ps...), initProg{name: noInit, path: cfg.trueBin})
	res := map[string][]startRound{}
	for i := range cfg.rounds {
		for _, p := range rotate(progs, i) {
			var walls, cpus []float64
			for range cfg.launches {
				wall, cpu, err := launchOnce(p, cfg.trueBin)
				if err != nil {
					return nil, err
				}
				walls, cpus = append(walls, wall), append(cpus, cpu)
			}
			res[p.name] = append(res[p.name], startRound{median(walls), median(cpus)})
		}
	}
	return res, nil
}

// launchOnce runs p with true (p itself when it is the floor) and
// returns the wall and CPU nanoseconds.
func launchOnce(p initProg, trueBin string) (wall, cpu float64, err error) {
	var child []string
	if p.name != noInit {
		child = []string{trueBin}
	}
	cmd := pid1Command(p, child...)
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("start-up of %s: %v", p.name, err)
	}
	wall = float64(time.Since(t0).Nanoseconds())
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu = float64(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
	return wall, cpu, nil
}
