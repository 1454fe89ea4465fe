package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
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
	all         []float64
	launchMeds  []float64 // median of each launch
	launchCount int
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
			ns, err := launchLatency(p, cfg)
			if err != nil {
				return nil, err
			}
			r := res[p.name]
			r.all = append(r.all, ns...)
			r.launchMeds = append(r.launchMeds, median(ns))
			r.launchCount++
		}
	}
	return res, nil
}

// latencyCommand is the command line of one launch.
func latencyCommand(p initProg, cfg latencyConfig) []string {
	return append([]string{cfg.siglat, strconv.Itoa(cfg.samples), strconv.Itoa(cfg.gapUS)}, p.argv(cfg.sigchild)...)
}

func launchLatency(p initProg, cfg latencyConfig) ([]float64, error) {
	argv := latencyCommand(p, cfg)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("signal latency of %s: %v", p.name, err)
	}
	ns, err := parseNumbers(out)
	if err != nil {
		return nil, fmt.Errorf("signal latency of %s: %w", p.name, err)
	}
	if len(ns) != cfg.samples {
		return nil, fmt.Errorf("signal latency of %s: got %d samples, want %d", p.name, len(ns), cfg.samples)
	}
	return ns, nil
}

// parseNumbers reads one number per line.
func parseNumbers(out []byte) ([]float64, error) {
	var ns []float64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		v, err := strconv.ParseFloat(sc.Text(), 64)
		if err != nil {
			return nil, fmt.Errorf("parse %q: %w", sc.Text(), err)
		}
		ns = append(ns, v)
	}
	return ns, sc.Err()
}
