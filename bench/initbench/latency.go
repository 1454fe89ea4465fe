package main

import (
	"bufio"
	"bytes"
	"fmt"
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
}

// latencyResult is one init's samples, in nanoseconds.
type latencyResult struct {
	all        []float64
	launchMeds []float64 // median of each launch
	launchP90s []float64 // 0.9-quantile of each launch
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
			r.switches = append(r.switches, l.switches/float64(len(l.ns)))
		}
	}
	return res, nil
}

// latencyCommand is the command line of one launch.
func latencyCommand(p initProg, cfg latencyConfig) []string {
	return append([]string{cfg.siglat, strconv.Itoa(cfg.samples), strconv.Itoa(cfg.gapUS)}, p.argv(cfg.sigchild)...)
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
	ns       []float64
	switches float64
}

// parseLaunch reads one latency per line, then the line
// "# init_switches S init_threads T".
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
		v, err := strconv.ParseFloat(line, 64)
		if err != nil {
			return l, fmt.Errorf("parse %q: %w", line, err)
		}
		l.ns = append(l.ns, v)
	}
	if err := sc.Err(); err != nil {
		return l, err
	}
	if !found {
		return l, fmt.Errorf("no init_switches line in %q", out)
	}
	return l, nil
}
