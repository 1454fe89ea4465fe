package main

import (
	"fmt"
	"os"
	"strings"
)

const servicesHeading = "## Services: the supervisor against raw spawn"

// servicesSection formats the output of BenchmarkServices (cmd/tinit):
// per service, the start and stop of n services through tinit --config
// against spawning and killing n sleeps from the benchmark itself.
func servicesSection(path, command string, m machine) (section, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return section{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nMeasured by `make bench` on %v, with\n`%s`\n", m, command)
	b.WriteString(servicesIntro)
	b.WriteString("| services | start µs/service | raw start µs | start × raw | stop µs/service | raw stop µs | stop × raw |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	rows := 0
	for _, line := range strings.Split(string(raw), "\n") {
		l, ok := parseBenchLine(line)
		if !ok {
			continue
		}
		n, _, _ := strings.Cut(l.name[strings.LastIndexByte(l.name, '=')+1:], "-")
		var v [6]float64
		for i, unit := range []string{"start-us/svc", "raw-start-us/svc", "start-x", "stop-us/svc", "raw-stop-us/svc", "stop-x"} {
			if v[i], ok = l.get(unit); !ok {
				return section{}, fmt.Errorf("%s: %s has no %s", path, l.name, unit)
			}
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f |\n", n, v[0], v[1], v[2], v[3], v[4], v[5])
		rows++
	}
	if rows == 0 {
		return section{}, fmt.Errorf("no benchmark result in %s", path)
	}
	b.WriteString("\nTime per service that stays flat from 10 to 1000 services means the\nwhole start and stop grow linearly.\n\n")
	b.WriteString("Raw output:\n\n```\n" + strings.TrimRight(string(raw), "\n") + "\n```\n")
	return section{heading: servicesHeading, body: b.String()}, nil
}

const servicesIntro = `
- BenchmarkServices/n=N (cmd/tinit/services_test.go): tinit --config with
  N services (` + "`sleep`" + `; all but every tenth require the one before, so
  chains of 10 run through the graph). Start: from tinit's "starting" log
  record to "N services ready"; stop: from "shutting down" (its SIGTERM)
  to "exiting", every service stopped in reverse order. The reference, in
  the same loop: the benchmark itself forking N sleeps
  (syscall.ForkExec), then SIGTERM to each and wait4 for all. Medians over
  the ops, divided by N.

`
