package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestPairedGoal(t *testing.T) {
	ref := []float64{100, 200, 100, 200, 100, 200}
	scaled := func(f ...float64) []float64 {
		xs := make([]float64, len(ref))
		for i := range ref {
			xs[i] = ref[i] * f[i%len(f)]
		}
		return xs
	}
	tests := []struct {
		name        string
		xs          []float64
		atMost      bool
		met, noise  bool
		wantTinit   string
		wantMargins string
	}{
		// Ratios 1.1 and 1.2: geometric mean 1.149, log ratios ±0.0435
		// about its log, standard error 0.0195, t(5) = 2.571.
		{"slower in every round", scaled(1.1, 1.2), true, false, false, "175", "1.15× (1.09×–1.21×)"},
		{"faster in every round", scaled(0.9), true, true, false, "135", "0.90× (0.90×–0.90×)"},
		// Log ratios ±0.223: standard error 0.0998, half width 0.257.
		{"either way", scaled(0.8, 1.25), true, true, true, "165", "1.00× (0.77×–1.29×)"},
		{"higher is better", scaled(1.1, 1.2), false, true, false, "175", "1.15× (1.09×–1.21×)"},
	}
	for _, tt := range tests {
		g := pairedGoal("g", tt.xs, ref, rate, tt.atMost)
		if g.met != tt.met || g.noise != tt.noise || g.tinit != tt.wantTinit || g.ref != "150" || g.margin != tt.wantMargins {
			t.Errorf("%s: got met %v noise %v, %s against %s, %q; want met %v noise %v, %s against 150, %q",
				tt.name, g.met, g.noise, g.tinit, g.ref, g.margin, tt.met, tt.noise, tt.wantTinit, tt.wantMargins)
		}
	}
}

func TestPairedGoalOneRound(t *testing.T) {
	g := pairedGoal("g", []float64{110}, []float64{100}, rate, true)
	if g.met || g.noise || g.margin != "1.10× (one round: no interval)" {
		t.Errorf("one round: got met %v noise %v %q; want met false noise false, no interval", g.met, g.noise, g.margin)
	}
}

// TestPairedGoalZeroRound: a round that measured 0 has no interval, and
// says so rather than claim there was one round.
func TestPairedGoalZeroRound(t *testing.T) {
	g := pairedGoal("g", []float64{0, 1, 2}, []float64{3, 3, 3}, us, true)
	if !g.met || g.noise || g.margin != "0.00× (a round measured 0: no interval)" {
		t.Errorf("a zero round: got met %v noise %v %q; want met, no interval for the zero", g.met, g.noise, g.margin)
	}
}

// TestWriteStop renders the table of one SIGTERM per launch: one launch
// gives one sample, in one mode or the other, and a mode no launch fell in
// has no median.
func TestWriteStop(t *testing.T) {
	nan := math.NaN()
	r := &results{
		inits: []initProg{{name: "tinit", timed: true}, {name: "tini", timed: true}},
		stop: map[string]*latencyResult{
			// tinit: 50 and 100 µs on the sender's CPU, 200 on the other.
			"tinit": {launchMeds: []float64{50e3, 100e3, 200e3}, sameMeds: []float64{50e3, 100e3, nan},
				otherMeds: []float64{nan, nan, 200e3}},
			// tini: always on the sender's CPU, half tinit's time.
			"tini": {launchMeds: []float64{25e3, 50e3, 100e3}, sameMeds: []float64{25e3, 50e3, 100e3},
				otherMeds: []float64{nan, nan, nan}},
		},
	}
	r.cfg.stop = latencyConfig{launches: 3, samples: 1, gapUS: 200000}
	var b strings.Builder
	r.writeStop(&b)
	wantLines(t, b.String(),
		"3 launches of each init, one SIGTERM each, 200ms after the child is",
		"`bench/bin/siglat 1 200000 INIT -- bench/bin/sigchild`",
		"| tinit | 100.0 | 2.00× (2.00×–2.00×) | 180.0 | 67% | 75.0 | 200.0 |",
		"| tini | 50.0 | 1.00× (1.00×–1.00×) | 90.0 | 100% | 50.0 | – |",
	)
}

// TestWriteNewSender renders the table of SIGTERMs from a new process:
// repeated and after idle side by side, each paired by launch, with the
// mean share of SIGTERMs the child saw on the sender's CPU.
func TestWriteNewSender(t *testing.T) {
	r := &results{
		inits: []initProg{{name: "tinit", timed: true}, {name: "tini", timed: true}},
		newSender: map[string]*latencyResult{
			"tinit": {all: []float64{40e3, 50e3, 60e3}, launchMeds: []float64{40e3, 60e3}, sameShares: []float64{0, 0.5}},
			"tini":  {all: []float64{80e3, 100e3, 120e3}, launchMeds: []float64{80e3, 120e3}, sameShares: []float64{0, 0}},
		},
		newSenderStop: map[string]*latencyResult{
			"tinit": {launchMeds: []float64{100e3, 200e3, 300e3}, sameShares: []float64{1, 0, 0}},
			"tini":  {launchMeds: []float64{100e3, 200e3, 300e3}, sameShares: []float64{0, 0, 0}},
		},
	}
	r.cfg.newSender = latencyConfig{launches: 2, samples: 200, gapUS: 2000, newSender: true}
	r.cfg.newSenderStop = latencyConfig{launches: 3, samples: 1, gapUS: 200000, newSender: true}
	r.cfg.stop = r.cfg.newSenderStop
	var b strings.Builder
	r.writeNewSender(&b)
	wantLines(t, b.String(),
		"Repeated: 2 launches of each",
		"`bench/bin/siglat -n 200 2000",
		"After idle: 3 launches of each init",
		"SIGTERM each, 200ms after the child is ready",
		"`bench/bin/siglat -n 1\n200000 INIT",
		"| tinit | 50.0 | 0.50× (0.50×–0.50×) | 58.0 | 25% | 200.0 | 1.00× (1.00×–1.00×) | 280.0 | 33% |",
		"| tini | 100.0 | 1.00× (1.00×–1.00×) | 116.0 | 0% | 200.0 | 1.00× (1.00×–1.00×) | 280.0 | 0% |",
	)
}

// TestLatencyCommand: -n comes before the counts, for a new process to
// send each SIGTERM.
func TestLatencyCommand(t *testing.T) {
	p := initProg{name: "tini", path: "/usr/bin/tini", args: []string{"-s", "--"}}
	cfg := latencyConfig{siglat: "siglat", sigchild: "sigchild", samples: 1, gapUS: 200000}
	if got, want := latencyCommand(p, cfg), []string{"siglat", "1", "200000", "/usr/bin/tini", "-s", "--", "sigchild"}; !slices.Equal(got, want) {
		t.Errorf("siglat sends: got %q, want %q", got, want)
	}
	cfg.newSender = true
	if got, want := latencyCommand(p, cfg), []string{"siglat", "-n", "1", "200000", "/usr/bin/tini", "-s", "--", "sigchild"}; !slices.Equal(got, want) {
		t.Errorf("a new process sends: got %q, want %q", got, want)
	}
}

// TestLatencyGoals: each SIGTERM figure is a goal on tinit's launch
// medians against tini's, `docker stop`'s from a new process first, and
// each is met only where tinit's figure is at most tini's.
func TestLatencyGoals(t *testing.T) {
	at := func(f float64) map[string]*latencyResult {
		return map[string]*latencyResult{
			"tinit": {launchMeds: []float64{f * 100, f * 200}, launchP90s: []float64{f * 300, f * 400}},
			"tini":  {launchMeds: []float64{100, 200}, launchP90s: []float64{300, 400}},
		}
	}
	r := &results{
		newSender: at(0.9), newSenderStop: at(1.1), loaded: at(0.5), latency: at(1), stop: at(2),
		idle:  map[string]idleResult{"tinit": {}, "tini": {}},
		sizes: map[string]sizeResult{"tinit": {}, "tini-static": {}},
	}
	r.cfg.stop.gapUS = 200000
	want := map[string]bool{
		"`docker stop`: SIGTERM from a new process → child, median, at most tini's":                           true,
		"`docker stop`: one SIGTERM from a new process to an init idle 200ms → child, median, at most tini's": false,
		"SIGTERM from siglat → child beside CPU hogs, median, at most tini's":                                 true,
		"SIGTERM from siglat → child, median, at most tini's":                                                 true,
		"SIGTERM from siglat → child, p90, at most tini's":                                                    true,
		"one SIGTERM from siglat to an init idle 200ms → child, median, at most tini's":                       false,
	}
	var order []string
	for _, g := range r.goals() {
		met, ok := want[g.what]
		if !ok {
			continue
		}
		order = append(order, g.what)
		if g.met != met {
			t.Errorf("%s: met %v (%s), want %v", g.what, g.met, g.margin, met)
		}
	}
	if len(order) != len(want) || !strings.HasPrefix(order[0], "`docker stop`") {
		t.Errorf("latency goals %q, want the %d of %v, docker stop's first", order, len(want), want)
	}
}

func TestKnownOnly(t *testing.T) {
	if got := knownOnly([]float64{1, math.NaN(), 3}); !slices.Equal(got, []float64{1, 3}) {
		t.Errorf("knownOnly = %v, want [1 3]", got)
	}
	if got := knownOnly([]float64{math.NaN()}); len(got) != 0 {
		t.Errorf("knownOnly of NaN = %v, want none", got)
	}
}

// TestWriteStartup renders the start-up table: the init's own share is
// its time less the floor's of the same round, and the floor has a row.
func TestWriteStartup(t *testing.T) {
	r := &results{
		inits: []initProg{{name: "tinit", timed: true}, {name: "tini", timed: true}, {name: "tini-static"}},
		start: map[string][]startRound{
			"tinit": {{wallNS: 4e6, cpuNS: 3e6}, {wallNS: 6e6, cpuNS: 5e6}},
			"tini":  {{wallNS: 2e6, cpuNS: 1e6}, {wallNS: 3e6, cpuNS: 1e6}},
			noInit:  {{wallNS: 1e6, cpuNS: 0.5e6}, {wallNS: 2e6, cpuNS: 0.5e6}},
		},
	}
	r.cfg.start = startConfig{rounds: 2, launches: 10}
	var b strings.Builder
	r.writeStartup(&b)
	wantLines(t, b.String(),
		"2 rounds of 10 launches of each init",
		"| tinit | 5.00 | 2.00× (2.00×–2.00×) | 3.50 | 4.00 |",
		"| tini | 2.50 | 1.00× (1.00×–1.00×) | 1.00 | 1.00 |",
		"| (no init) | 1.50 | 0.58× (0.09×–3.59×) | 0.00 | 0.50 |",
	)
	if strings.Contains(b.String(), "tini-static") {
		t.Errorf("the table has an init that is not timed:\n%s", b.String())
	}
}

// TestWriteLoaded renders the latency beside CPU hogs: medians and p90s
// over all samples, ratios paired by launch.
func TestWriteLoaded(t *testing.T) {
	r := &results{
		inits: []initProg{{name: "tinit", timed: true}, {name: "tini", timed: true}},
		loaded: map[string]*latencyResult{
			"tinit": {all: []float64{10e3, 20e3, 30e3}, launchMeds: []float64{10e3, 30e3}, launchP90s: []float64{20e3, 40e3}},
			"tini":  {all: []float64{20e3, 40e3, 60e3}, launchMeds: []float64{20e3, 60e3}, launchP90s: []float64{40e3, 80e3}},
		},
	}
	r.cfg.loaded = latencyConfig{launches: 2, samples: 50, gapUS: 2000}
	var b strings.Builder
	r.writeLoaded(&b)
	wantLines(t, b.String(),
		"2 launches of each init, 50 SIGTERMs 2000 µs apart in each",
		"| tinit | 20.0 | 0.50× (0.50×–0.50×) | 28.0 | 0.50× (0.50×–0.50×) |",
		"| tini | 40.0 | 1.00× (1.00×–1.00×) | 56.0 | 1.00× (1.00×–1.00×) |",
	)
}

// wantLines fails t for each of wants that the rendered text lacks.
func wantLines(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("table lacks %q:\n%s", want, text)
		}
	}
}
