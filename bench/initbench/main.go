package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// config is the command line.
type config struct {
	tinit, binDir, results, goBench, goBenchCmd, tinitVersion string
	servicesBench, servicesCmd                                string
	latency, stop, loaded, newSender, newSenderStop           latencyConfig
	start                                                     startConfig
	rounds, release, trickle                                  int
	settle, window                                            time.Duration
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.tinit, "tinit", "bin/tinit", "the tinit binary (make build)")
	flag.StringVar(&c.tinitVersion, "tinit-version", "", "tinit's version, for the results")
	flag.StringVar(&c.binDir, "c", "bin/bench", "directory of the built bench/c programs")
	flag.StringVar(&c.results, "results", "bench/RESULTS.md", "file whose sections to replace (empty: print to stdout)")
	flag.StringVar(&c.goBench, "gobench", "", "output of go test -bench ./reaper/ to put in the reaper section")
	flag.StringVar(&c.goBenchCmd, "gobench-cmd", "", "the command that produced -gobench")
	flag.StringVar(&c.servicesBench, "services-bench", "", "output of BenchmarkServices (cmd/tinit) to put in the services section")
	flag.StringVar(&c.servicesCmd, "services-cmd", "", "the command that produced -services-bench")
	flag.IntVar(&c.latency.launches, "launches", 30, "launches of each init for the signal latency")
	flag.IntVar(&c.latency.samples, "samples", 200, "SIGTERMs per launch")
	flag.IntVar(&c.latency.gapUS, "gap", 2000, "microseconds between two SIGTERMs")
	flag.IntVar(&c.stop.launches, "stop-launches", 60, "launches of each init for one SIGTERM to an idle init")
	flag.IntVar(&c.stop.gapUS, "stop-idle", 200000, "microseconds the init is idle before that SIGTERM")
	flag.IntVar(&c.loaded.launches, "loaded-launches", 10, "launches of each init for the signal latency beside CPU hogs")
	flag.IntVar(&c.loaded.samples, "loaded-samples", 50, "SIGTERMs per launch beside CPU hogs")
	flag.IntVar(&c.newSender.launches, "new-launches", 20, "launches of each init for the signal latency with a new process sending each SIGTERM")
	flag.IntVar(&c.newSenderStop.launches, "new-stop-launches", 60, "launches of each init for one SIGTERM from a new process to an idle init")
	flag.IntVar(&c.start.rounds, "start-rounds", 25, "rounds of the start-up")
	flag.IntVar(&c.start.launches, "start-launches", 10, "launches of each init per start-up round")
	flag.IntVar(&c.rounds, "rounds", 21, "orphan runs of each init and mode")
	flag.IntVar(&c.release, "release", 5000, "orphans of a release run (all at once)")
	flag.IntVar(&c.trickle, "trickle", 1000, "orphans of a trickle run (one at a time)")
	flag.DurationVar(&c.settle, "settle", time.Second, "wait after start before the idle window")
	flag.DurationVar(&c.window, "idle", 10*time.Second, "idle window")
	flag.Parse()
	// A stop is one SIGTERM; the other phases send as many, as far apart,
	// as the signal latency does, the new-sender ones from a new process.
	c.stop.samples = 1
	c.loaded.gapUS = c.latency.gapUS
	c.newSender.samples, c.newSender.gapUS, c.newSender.newSender = c.latency.samples, c.latency.gapUS, true
	c.newSenderStop.samples, c.newSenderStop.gapUS, c.newSenderStop.newSender = 1, c.stop.gapUS, true
	for _, lc := range []*latencyConfig{&c.latency, &c.stop, &c.loaded, &c.newSender, &c.newSenderStop} {
		lc.siglat, lc.sigchild = filepath.Join(c.binDir, "siglat"), filepath.Join(c.binDir, "sigchild")
	}
	c.start.trueBin = filepath.Join(c.binDir, "true")
	return c
}

func main() {
	if err := run(parseFlags()); err != nil {
		fmt.Fprintln(os.Stderr, "initbench:", err)
		os.Exit(1)
	}
}

// run measures, then writes the sections.
func run(c config) error {
	ps := contestants(c.tinit, filepath.Join(c.binDir, "goinit"), filepath.Join(c.binDir, "handlerinit"))
	if err := checkInstalled(ps); err != nil {
		return err
	}
	r, err := measureAll(c, ps)
	if err != nil {
		return err
	}
	sections := []section{r.section()}
	if c.goBench != "" {
		gs, err := goBenchSection(c.goBench, c.goBenchCmd, r.machine)
		if err != nil {
			return err
		}
		sections = append([]section{gs}, sections...)
	}
	if c.servicesBench != "" {
		ss, err := servicesSection(c.servicesBench, c.servicesCmd, r.machine)
		if err != nil {
			return err
		}
		sections = append(sections, ss)
	}
	return writeSections(c.results, sections)
}

// measureAll runs the phases, the short ones first.
func measureAll(c config, ps []initProg) (*results, error) {
	r := &results{cfg: c, inits: ps, machine: thisMachine()}
	timed := timedOnly(ps)
	r.modes = orphanModes(c.release, c.trickle)
	var err error
	if r.sizes, err = measureSizes(ps, os.TempDir()); err != nil {
		return nil, err
	}
	// latency measures cfg into res.
	latency := func(res *map[string]*latencyResult, cfg latencyConfig) func() error {
		return func() (err error) {
			*res, err = measureLatency(timed, cfg)
			return err
		}
	}
	phases := []phase{
		{"idle", &r.idleLoad, func() (err error) {
			r.idle, err = measureIdle(ps, c.latency.sigchild, c.settle, c.window)
			return err
		}},
		{"signal latency", &r.latencyLoad, latency(&r.latency, c.latency)},
		{"one SIGTERM to an idle init", &r.stopLoad, latency(&r.stop, c.stop)},
		{"signal latency, a new process sending", &r.newSenderLoad, latency(&r.newSender, c.newSender)},
		{"one SIGTERM from a new process to an idle init", &r.newSenderStopLoad, latency(&r.newSenderStop, c.newSenderStop)},
		{"signal latency beside CPU hogs", &r.loadedLoad, func() error {
			return withHogs(latency(&r.loaded, c.loaded))
		}},
		{"start-up", &r.startLoad, func() (err error) {
			r.start, err = measureStartup(timed, c.start)
			return err
		}},
		{"orphans", &r.orphanLoad, func() (err error) {
			r.orphans, err = measureOrphans(timed, r.modes, filepath.Join(c.binDir, "orphans"), c.rounds)
			return err
		}},
	}
	for _, ph := range phases {
		step(ph.name, func() error {
			*ph.load, err = during(ph.measure)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

// phase is one step of measureAll: measure, with the load before and
// after it kept in load.
type phase struct {
	name    string
	load    *loadSpan
	measure func() error
}

// step runs one phase and says how long it took.
func step(name string, f func() error) {
	fmt.Fprintf(os.Stderr, "initbench: %s (load %s) ...", name, load())
	t0 := time.Now()
	err := f()
	status := "done"
	if err != nil {
		status = "failed"
	}
	fmt.Fprintf(os.Stderr, " %s in %.1fs\n", status, time.Since(t0).Seconds())
}

// section is one "## " section of RESULTS.md.
type section struct{ heading, body string }

func writeSections(path string, ss []section) error {
	if path == "" {
		for _, s := range ss {
			fmt.Print(s.heading + "\n" + s.body + "\n")
		}
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	doc := string(b)
	if doc == "" {
		doc = resultsPreamble
	}
	for _, s := range ss {
		doc = splice(doc, s.heading, s.heading+"\n"+s.body)
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}

const resultsPreamble = `# Benchmark results

Figures of ` + "`make bench`" + ` (bench/run.sh), newest run only. Each section
names the command, the date, the machine and the load while it ran. On this
shared 2-vCPU machine absolute times move by 2× between runs (DESIGN.md §7):
read the ratios to the reference measured in the same run.
`
