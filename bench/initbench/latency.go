package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// latencyConfig says how the signal latency is sampled.
type latencyConfig struct {
	siglat, sigchild string // bench/c programs
	launches         int    // launches of each init
	samples          int    // SIGTERMs per launch
	gapUS            int    // between two SIGTERMs
	// newSender: a new process sends each SIGTERM (siglat -n), as `runc
	// kill` does for `docker stop`, rather than siglat itself.
	newSender bool
}

// latencyResult is one init's samples, in nanoseconds.
type latencyResult struct {
	all        []float64
	launchMeds []float64 // median of each launch
	launchP90s []float64 // 0.9-quantile of each launch
	// The latency has two modes: the scheduler wakes the child either on
	// the CPU that sent the SIGTERM, where the init runs too, or on the
	// other, idle one. Which one is its choice, made anew for every
	// SIGTERM, and the two modes lie far apart, so a launch's median
	// swings with the share of each. These split each launch by mode:
	// the median of the samples of the child woken on the sender's CPU
	// (NaN if none) and on another CPU, and the first mode's share.
	sameMeds, otherMeds, sameShares []float64
	// switches are the init's context switches (all threads) per SIGTERM
	// in each launch.
	switches []float64
}

// measureLatency launches every init cfg.launches times, interleaved,
// each time with cfg.samples SIGTERMs.
func measureLatency(ps []initProg, cfg latencyConfig) (map[string]*latencyResult, error) {
	res := map[string]*latencyResult{}
	for _, p := range ps {
		res[p.name] = &latencyResult{}
	}
	for i := range cfg.launches {
		for _, p := range rotate(ps, i) {
			l, err := launchLatency(p, cfg)
			if err != nil {
				return nil, err
			}
			r := res[p.name]
			r.all = append(r.all, l.ns...)
			r.launchMeds = append(r.launchMeds, median(l.ns))
			r.launchP90s = append(r.launchP90s, quantile(l.ns, 0.9))
			same, other := l.byPlace()
			r.sameMeds = append(r.sameMeds, median(same))
			r.otherMeds = append(r.otherMeds, median(other))
			r.sameShares = append(r.sameShares, float64(len(same))/float64(len(l.ns)))
			r.switches = append(r.switches, l.switches/float64(len(l.ns)))
		}
	}
	return res, nil
}

// latencyCommand is the command line of one launch.
func latencyCommand(p initProg, cfg latencyConfig) []string {
	argv := []string{cfg.siglat}
	if cfg.newSender {
		argv = append(argv, "-n")
	}
	argv = append(argv, strconv.Itoa(cfg.samples), strconv.Itoa(cfg.gapUS))
	return append(argv, p.argv(cfg.sigchild)...)
}

func launchLatency(p initProg, cfg latencyConfig) (launch, error) {
	argv := latencyCommand(p, cfg)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return launch{}, fmt.Errorf("signal latency of %s: %v", p.name, err)
	}
	l, err := parseLaunch(out)
	if err != nil {
		return l, fmt.Errorf("signal latency of %s: %w", p.name, err)
	}
	if len(l.ns) != cfg.samples {
		return l, fmt.Errorf("signal latency of %s: got %d samples, want %d", p.name, len(l.ns), cfg.samples)
	}
	return l, nil
}

// launch is what siglat printed.
type launch struct {
	ns []float64
	// same says of each sample whether the child saw the signal on the
	// CPU siglat sent it from.
	same     []bool
	switches float64
}

// byPlace splits the samples into those of the child woken on the
// sender's CPU and the others.
func (l launch) byPlace() (same, other []float64) {
	for i, ns := range l.ns {
		if l.same[i] {
			same = append(same, ns)
		} else {
			other = append(other, ns)
		}
	}
	return same, other
}

// parseLaunch reads one sample per line ("NS SENDER_CPU CHILD_CPU"),
// then the line "# init_switches S init_threads T".
func parseLaunch(out []byte) (launch, error) {
	var l launch
	found := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			var threads int
			if _, err := fmt.Sscanf(line, "# init_switches %g init_threads %d", &l.switches, &threads); err != nil {
				return l, fmt.Errorf("parse %q: %w", line, err)
			}
			found = true
			continue
		}
		var ns float64
		var sender, child int
		var extra string
		if n, _ := fmt.Sscanf(line, "%g %d %d %s", &ns, &sender, &child, &extra); n != 3 || math.IsNaN(ns) {
			return l, fmt.Errorf("parse %q: want a sample, \"NS SENDER_CPU CHILD_CPU\"", line)
		}
		l.ns = append(l.ns, ns)
		l.same = append(l.same, sender == child)
	}
	if err := sc.Err(); err != nil {
		return l, err
	}
	if !found {
		return l, fmt.Errorf("no init_switches line in %q", out)
	}
	return l, nil
}
