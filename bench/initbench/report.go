package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// results holds every figure of one run.
type results struct {
	cfg     config
	inits   []initProg
	machine machine

	sizes       map[string]sizeResult
	idle        map[string]idleResult
	idleLoad    loadSpan
	latency     map[string]*latencyResult
	latencyLoad loadSpan
	stop        map[string]*latencyResult // one SIGTERM per launch, to an idle init
	stopLoad    loadSpan
	loaded      map[string]*latencyResult // SIGTERMs beside CPU hogs
	loadedLoad  loadSpan
	// newSender and newSenderStop are latency and stop with a new
	// process sending each SIGTERM, as `docker stop` does.
	newSender         map[string]*latencyResult
	newSenderLoad     loadSpan
	newSenderStop     map[string]*latencyResult
	newSenderStopLoad loadSpan
	start             map[string][]startRound // by init, and noInit
	startLoad         loadSpan
	modes             []orphanMode
	orphans           map[string]map[string][]orphanRun
	orphanLoad        loadSpan
}

const initsHeading = "## Inits: tinit against tini, dumb-init, catatonit"

func (r *results) section() section {
	var b strings.Builder
	r.writeIntro(&b)
	r.writeGoals(&b)
	r.writeOrphans(&b)
	r.writeNewSender(&b)
	r.writeLatency(&b)
	r.writeStop(&b)
	r.writeLoaded(&b)
	r.writeStartup(&b)
	r.writeIdle(&b)
	r.writeSizes(&b)
	return section{heading: initsHeading, body: b.String()}
}

func (r *results) writeIntro(b *strings.Builder) {
	fmt.Fprintf(b, "\nMeasured by `make bench` (bench/run.sh, which runs bench/initbench) on %v;\n", r.machine)
	v := r.cfg.tinitVersion
	if v == "" {
		v = "unknown version"
	}
	fmt.Fprintf(b, "tinit %s (`make build`: static, stripped). Every init runs as PID 1 of\n", v)
	b.WriteString("a new PID namespace with a /proc of its own, as in a container\n")
	b.WriteString("(`unshare --pid --fork --mount-proc`; siglat does the same itself). The\n")
	b.WriteString("timed runs are interleaved: round after round, each round starting with\n")
	b.WriteString("the next init. Ratios are to tini in the same run; the load is the\n")
	b.WriteString("1-minute load average before → after each phase. go-minimal\n")
	b.WriteString("(bench/goinit) is a second reference, not a contestant: the least a Go\n")
	b.WriteString("init does (os/signal for every signal, kill(2) to forward, a wait4 loop\n")
	b.WriteString("on SIGCHLD), to tell the Go runtime's share from tinit's own.\n")
	b.WriteString("c-handler (bench/c/handlerinit.c) is a third: tini's work, but\n")
	b.WriteString("forwarding from a signal handler on an alternate stack through a\n")
	b.WriteString("pidfd, as tinit does for a signal that comes while its main thread\n")
	b.WriteString("is busy (and did for every one before b802d2e), in C.\n\n")
}

// goal is one line of the goals table. noise: the goal compares tinit to
// tini, and the 95% confidence interval of the ratio includes parity, so
// this run cannot tell the two apart.
type goal struct {
	what, tinit, ref string
	met, noise       bool
	margin           string
}

func (r *results) goals() []goal {
	var gs []goal
	for _, m := range r.modes {
		runs, ref := r.orphans[m.name]["tinit"], r.orphans[m.name][reference]
		if m.name == "release" { // the trickle rate is the maker's fork rate
			gs = append(gs, pairedGoal("orphans reaped/s ("+m.name+") at least tini's",
				valuesOf(runs, orphanRun.rate), valuesOf(ref, orphanRun.rate), rate, false))
		}
		gs = append(gs, pairedGoal("init CPU µs per orphan ("+m.name+") at most tini's",
			valuesOf(runs, orphanRun.cpuPerOrphan), valuesOf(ref, orphanRun.cpuPerOrphan), us, true))
	}
	// medianGoal is the goal on the launch medians of res.
	medianGoal := func(what string, res map[string]*latencyResult) goal {
		return pairedGoal(what+", median, at most tini's", res["tinit"].launchMeds, res[reference].launchMeds, us, true)
	}
	gs = append(gs,
		medianGoal("`docker stop`: SIGTERM from a new process → child", r.newSender),
		medianGoal(fmt.Sprintf("`docker stop`: one SIGTERM from a new process to an init idle %v → child", r.idleBefore()), r.newSenderStop),
		medianGoal("SIGTERM from siglat → child beside CPU hogs", r.loaded),
		medianGoal("SIGTERM from siglat → child", r.latency))
	l, ref := r.latency["tinit"], r.latency[reference]
	gs = append(gs, pairedGoal("SIGTERM from siglat → child, p90, at most tini's", l.launchP90s, ref.launchP90s, us, true))
	same, sameRef := bothKnown(l.sameMeds, ref.sameMeds)
	gs = append(gs, pairedGoal("SIGTERM from siglat → child woken on the sender's CPU, median, at most tini's", same, sameRef, us, true))
	other, otherRef := bothKnown(l.otherMeds, ref.otherMeds)
	gs = append(gs, pairedGoal("SIGTERM from siglat → child woken on the other CPU, median, at most tini's", other, otherRef, us, true))
	gs = append(gs, medianGoal(fmt.Sprintf("one SIGTERM from siglat to an init idle %v → child", r.idleBefore()), r.stop))
	i := r.idle["tinit"]
	gs = append(gs, goal{what: fmt.Sprintf("no wake-up while idle (%v)", r.cfg.window), tinit: fmt.Sprint(i.switches),
		ref: fmt.Sprint(r.idle[reference].switches), met: i.switches == 0, margin: fmt.Sprintf("%d switches", i.switches)})
	gs = append(gs, goal{what: "idle RSS at most 4 MiB", tinit: mib(i.rssKB), ref: mib(r.idle[reference].rssKB), met: i.rssKB <= 4096,
		margin: fmt.Sprintf("%.0f%% of 4 MiB", float64(i.rssKB)/4096*100)})
	s := r.sizes["tinit"].stripped
	gs = append(gs, goal{what: "stripped binary at most 3 MB", tinit: mb(s), ref: mb(r.sizes["tini-static"].stripped) + " (tini-static)",
		met: s <= 3_000_000, margin: fmt.Sprintf("%.0f%% of 3 MB", float64(s)/3e6*100)})
	return gs
}

// pairedGoal is a goal on tinit's figure against tini's, taken in pairs
// (one of each per round, so both saw the same load): the columns are the
// medians, the margin the geometric mean of the paired ratios with its
// 95% confidence interval, and the goal is met when that mean is at most
// 1 (atMost) or at least 1.
func pairedGoal(what string, xs, refs []float64, format func(float64) string, atMost bool) goal {
	geo, lo, hi := pairedRatio(xs, refs)
	met := geo >= 1
	if atMost {
		met = geo <= 1
	}
	return goal{what: what, tinit: format(median(xs)), ref: format(median(refs)), met: met, noise: lo <= 1 && 1 <= hi,
		margin: pairedCell(geo, lo, hi)}
}

func (r *results) writeGoals(b *strings.Builder) {
	b.WriteString("### Goals\n\n")
	b.WriteString("A goal against tini compares the runs in pairs, tinit's and tini's of the\n")
	b.WriteString("same round: tinit and tini are the medians over the rounds, the ratio is\n")
	b.WriteString("the geometric mean of the rounds' ratios with its 95% confidence\n")
	b.WriteString("interval. \"within noise\": the interval includes 1, so this run cannot\n")
	b.WriteString("tell tinit from tini on that figure.\n\n")
	b.WriteString("| goal | tinit | tini | met | tinit/tini or margin |\n|---|---:|---:|---|---:|\n")
	for _, g := range r.goals() {
		met := "no"
		if g.met {
			met = "yes"
		}
		if g.noise {
			met += " (within noise)"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", g.what, g.tinit, g.ref, met, g.margin)
	}
	b.WriteString("\n")
}

// valuesOf is f of each of xs.
func valuesOf[T any](xs []T, f func(T) float64) []float64 {
	vs := make([]float64, len(xs))
	for i, x := range xs {
		vs[i] = f(x)
	}
	return vs
}

func (r *results) writeOrphans(b *strings.Builder) {
	b.WriteString("### Orphans reaped per second as PID 1\n\n")
	fmt.Fprintf(b, "%d runs of each init and mode, %v. Each run: `INIT -- bench/bin/orphans MODE ...` as PID 1;\n", r.cfg.rounds, r.orphanLoad)
	b.WriteString("the orphan maker (bench/c/orphans.c) times until the init has reaped\n")
	b.WriteString("the last orphan (it probes each orphan's pid with kill(pid, 0), which\n")
	b.WriteString("succeeds while the zombie is unreaped), and reads PID 1's CPU time and\n")
	b.WriteString("context switches (all threads, /proc/1/task/*/) over the same span.\n\n")
	for _, m := range r.modes {
		fmt.Fprintf(b, "`%s`: ", strings.Join(m.command("bench/bin/orphans"), " "))
		if m.name == "release" {
			b.WriteString("reaping throughput. All the zombies reach the init at once, when their\n")
			b.WriteString("parent exits; the clock starts then (making them is not timed).\n\n")
		} else {
			b.WriteString("cost per orphan. One orphan at a time, each alive when reparented,\n")
			b.WriteString("then exiting: one SIGCHLD each; timed from the first one made, so the\n")
			b.WriteString("rate is mostly the maker's fork rate, and the init's own cost is its\n")
			b.WriteString("CPU and switches per orphan.\n\n")
		}
		b.WriteString("| init | orphans/s (median) | × tini | × tini, paired (95% CI) | min–max | init CPU µs/orphan | × tini | init switches/orphan | init threads |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, p := range timedOnly(r.inits) {
			runs, ref := r.orphans[m.name][p.name], r.orphans[m.name][reference]
			rt, cpu := medianOf(runs, orphanRun.rate), medianOf(runs, orphanRun.cpuPerOrphan)
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %.1f | %s | %.2f | %.0f |\n", p.name, rate(rt),
				ratio(rt/medianOf(ref, orphanRun.rate)), paired(valuesOf(runs, orphanRun.rate), valuesOf(ref, orphanRun.rate)),
				rangeOf(runs, orphanRun.rate, rate), cpu/1e3,
				ratio(cpu/medianOf(ref, orphanRun.cpuPerOrphan)), medianOf(runs, orphanRun.switchesPerOrphan),
				medianOf(runs, func(o orphanRun) float64 { return o.threads }))
		}
		b.WriteString("\n")
	}
}

// writeNewSender is the latency of a SIGTERM sent as `docker stop` sends
// it: from a new process, `runc kill`, whose exit the container runtime
// waits for.
func (r *results) writeNewSender(b *strings.Builder) {
	c, cs := r.cfg.newSender, r.cfg.newSenderStop
	b.WriteString("### SIGTERM from a new process, as `docker stop` sends it\n\n")
	b.WriteString("`docker stop` has a new process, `runc kill`, send the SIGTERM, and\n")
	b.WriteString("waits for it to exit. Here bench/c/siglat.c does the same (`-n`): for\n")
	b.WriteString("each SIGTERM it forks a process that reads CLOCK_MONOTONIC, sends the\n")
	b.WriteString("SIGTERM with kill(2) and exits, and waits for it; the scheduler places\n")
	fmt.Fprintf(b, "that process with no regard to the child. Repeated: %d launches of each\n", c.launches)
	fmt.Fprintf(b, "init, %d SIGTERMs %d µs apart in each, %v: `bench/bin/siglat -n %d %d\n", c.samples, c.gapUS, r.newSenderLoad, c.samples, c.gapUS)
	fmt.Fprintf(b, "INIT -- bench/bin/sigchild`. After idle: %d launches of each init, one\n", cs.launches)
	fmt.Fprintf(b, "SIGTERM each, %v after the child is ready, %v: `bench/bin/siglat -n 1\n", r.idleBefore(), r.newSenderStopLoad)
	fmt.Fprintf(b, "%d INIT -- bench/bin/sigchild`. Ratios paired by launch; \"on the\n", cs.gapUS)
	b.WriteString("sender's CPU\": the share of SIGTERMs the child saw on the CPU the new\n")
	b.WriteString("process sent it from.\n\n")
	b.WriteString("| init | repeated: median µs | launch medians × tini, paired (95% CI) | p90 µs | on the sender's CPU | after idle: median µs | × tini, paired (95% CI) | p90 µs | on the sender's CPU |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	ref, refStop := r.newSender[reference], r.newSenderStop[reference]
	for _, p := range timedOnly(r.inits) {
		l, st := r.newSender[p.name], r.newSenderStop[p.name]
		fmt.Fprintf(b, "| %s | %s | %s | %s | %.0f%% | %s | %s | %s | %.0f%% |\n", p.name,
			us(median(l.all)), paired(l.launchMeds, ref.launchMeds), us(quantile(l.all, 0.9)), 100*mean(l.sameShares),
			us(median(st.launchMeds)), paired(st.launchMeds, refStop.launchMeds), us(quantile(st.launchMeds, 0.9)), 100*mean(st.sameShares))
	}
	b.WriteString("\n")
}

func (r *results) writeLatency(b *strings.Builder) {
	c := r.cfg.latency
	b.WriteString("### SIGTERM from siglat to the child seeing it\n\n")
	fmt.Fprintf(b, "%d launches of each init, %d SIGTERMs %d µs apart in each, %v. Each launch:\n", c.launches, c.samples, c.gapUS, r.latencyLoad)
	fmt.Fprintf(b, "`bench/bin/siglat %d %d INIT -- bench/bin/sigchild` (bench/c/siglat.c starts INIT as\n", c.samples, c.gapUS)
	b.WriteString("PID 1 of a new PID namespace and sends it each SIGTERM itself, from the\n")
	b.WriteString("CPU where the child's answer to the one before woke it;\n")
	b.WriteString("bench/c/sigchild.c waits in sigwaitinfo and writes when it saw each one;\n")
	b.WriteString("both read CLOCK_MONOTONIC). Switches: the init's context switches (all\n")
	b.WriteString("threads) per SIGTERM, median over the launches.\n\n")
	b.WriteString("| init | median µs | × tini | launch medians × tini, paired (95% CI) | p90 µs | × tini | launch medians µs, min–max | init switches/SIGTERM |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	ref := r.latency[reference]
	for _, p := range timedOnly(r.inits) {
		l := r.latency[p.name]
		med, p90 := median(l.all), quantile(l.all, 0.9)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s–%s | %.1f |\n", p.name, us(med), ratio(med/median(ref.all)),
			paired(l.launchMeds, ref.launchMeds), us(p90), ratio(p90/quantile(ref.all, 0.9)),
			us(quantile(l.launchMeds, 0)), us(quantile(l.launchMeds, 1)), median(l.switches))
	}
	b.WriteString("\nThe samples fall in two modes, by where the scheduler wakes the child:\n")
	b.WriteString("on the CPU that sent the SIGTERM, where the init runs too (the child\n")
	b.WriteString("preempts it), or on the other CPU, idle, which takes the longer to\n")
	b.WriteString("wake. The kernel chooses for every SIGTERM, about half and half, and a\n")
	b.WriteString("median between two modes swings with the share of each; within a mode\n")
	b.WriteString("the figures compare the inits' own paths. The CPUs: siglat's when it\n")
	b.WriteString("sent, the child's when it saw the signal. Medians over the launches'\n")
	b.WriteString("medians in each mode, ratios paired as above.\n\n")
	b.WriteString("| init | on the sender's CPU: share | median µs | × tini, paired (95% CI) | on the other CPU: median µs | × tini, paired (95% CI) |\n|---|---:|---:|---:|---:|---:|\n")
	for _, p := range timedOnly(r.inits) {
		l := r.latency[p.name]
		same, sameRef := bothKnown(l.sameMeds, ref.sameMeds)
		other, otherRef := bothKnown(l.otherMeds, ref.otherMeds)
		fmt.Fprintf(b, "| %s | %.0f%% | %s | %s | %s | %s |\n", p.name, 100*median(l.sameShares),
			us(median(same)), paired(same, sameRef), us(median(other)), paired(other, otherRef))
	}
	b.WriteString("\n")
}

// idleBefore is how long the init is idle before the SIGTERM of the stop
// figures.
func (r *results) idleBefore() time.Duration {
	return time.Duration(r.cfg.stop.gapUS) * time.Microsecond
}

// writeStop is the latency of a single SIGTERM, as `docker stop` sends one
// to a container that has been idle: no SIGTERM before it leaves the
// processes where the one before put them.
func (r *results) writeStop(b *strings.Builder) {
	c := r.cfg.stop
	b.WriteString("### One SIGTERM from siglat to an idle init\n\n")
	fmt.Fprintf(b, "%d launches of each init, one SIGTERM each, %v after the child is\n", c.launches, r.idleBefore())
	fmt.Fprintf(b, "ready, %v: `bench/bin/siglat 1 %d INIT -- bench/bin/sigchild`. As\n", r.stopLoad, c.gapUS)
	b.WriteString("`docker stop` meets a container that has been idle: no SIGTERM before\n")
	b.WriteString("it has left the processes where it woke them. Ratios paired by round;\n")
	b.WriteString("within a mode, the median over the launches in it.\n\n")
	b.WriteString("| init | median µs | × tini, paired (95% CI) | p90 µs | on the sender's CPU: share | median µs | on the other CPU: median µs |\n|---|---:|---:|---:|---:|---:|---:|\n")
	ref := r.stop[reference]
	for _, p := range timedOnly(r.inits) {
		l := r.stop[p.name]
		same, other := knownOnly(l.sameMeds), knownOnly(l.otherMeds)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %.0f%% | %s | %s |\n", p.name, us(median(l.launchMeds)),
			paired(l.launchMeds, ref.launchMeds), us(quantile(l.launchMeds, 0.9)),
			100*float64(len(same))/float64(len(l.launchMeds)), usOrNone(median(same)), usOrNone(median(other)))
	}
	b.WriteString("\n")
}

// writeLoaded is the latency on a busy host: the init's thread must
// take a CPU from a task that is not about to sleep.
func (r *results) writeLoaded(b *strings.Builder) {
	c := r.cfg.loaded
	b.WriteString("### SIGTERM beside CPU hogs\n\n")
	fmt.Fprintf(b, "%d launches of each init, %d SIGTERMs %d µs apart in each, with one\n", c.launches, c.samples, c.gapUS)
	fmt.Fprintf(b, "busy shell loop per CPU running beside them (%v; the load average\n", r.loadedLoad)
	b.WriteString("lags the hogs): `docker stop` on a busy host, where the init's thread\n")
	b.WriteString("and the child must take a CPU from a task that is not about to sleep.\n\n")
	b.WriteString("| init | median µs | launch medians × tini, paired (95% CI) | p90 µs | launch p90s × tini, paired (95% CI) |\n|---|---:|---:|---:|---:|\n")
	ref := r.loaded[reference]
	for _, p := range timedOnly(r.inits) {
		l := r.loaded[p.name]
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", p.name, us(median(l.all)), paired(l.launchMeds, ref.launchMeds),
			us(quantile(l.all, 0.9)), paired(l.launchP90s, ref.launchP90s))
	}
	b.WriteString("\n")
}

// writeStartup is what a container start pays for its init: `INIT --
// true` as PID 1, against true alone.
func (r *results) writeStartup(b *strings.Builder) {
	c := r.cfg.start
	b.WriteString("### Start-up\n\n")
	fmt.Fprintf(b, "%d rounds of %d launches of each init, %v. Each launch: `unshare --pid\n", c.rounds, c.launches, r.startLoad)
	b.WriteString("--fork --mount-proc --kill-child INIT -- bench/bin/true` (bench/c/true.c:\n")
	b.WriteString("exit_group at once, no C library), from fork to exit, as a container\n")
	fmt.Fprintf(b, "start pays it; %s is `unshare ... bench/bin/true` alone, the\n", noInit)
	b.WriteString("launcher's share. A round's figure is the median of its launches; the\n")
	b.WriteString("columns are medians over the rounds, and \"over no init\" is the\n")
	b.WriteString("init's own share, paired by round. CPU: the launcher's, the init's and\n")
	b.WriteString("true's together (rusage).\n\n")
	b.WriteString("| init | wall ms | × tini, paired (95% CI) | over no init, ms | CPU ms |\n|---|---:|---:|---:|---:|\n")
	wall := func(s startRound) float64 { return s.wallNS }
	floor, ref := valuesOf(r.start[noInit], wall), valuesOf(r.start[reference], wall)
	for _, p := range append(timedOnly(r.inits), initProg{name: noInit}) {
		rounds := r.start[p.name]
		walls := valuesOf(rounds, wall)
		own := make([]float64, len(walls))
		for i := range walls {
			own[i] = walls[i] - floor[i]
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", p.name, ms(median(walls)), paired(walls, ref),
			ms(median(own)), ms(medianOf(rounds, func(s startRound) float64 { return s.cpuNS })))
	}
	b.WriteString("\n")
}

func (r *results) writeIdle(b *strings.Builder) {
	b.WriteString("### Idle\n\n")
	fmt.Fprintf(b, "All inits at once, each as PID 1 with `bench/bin/sigchild` (blocked in\n")
	fmt.Fprintf(b, "sigwaitinfo) as its child; %v after the child runs, the context switches\n", r.cfg.settle)
	fmt.Fprintf(b, "of every thread of the init (/proc/PID/task/*/status) are counted for %v;\n", r.cfg.window)
	fmt.Fprintf(b, "memory is /proc/PID/status at the end (%v).\n\n", r.idleLoad)
	b.WriteString("| init | switches in window | threads | VmRSS MiB | RssAnon MiB | × tini | RssFile MiB |\n|---|---:|---:|---:|---:|---:|---:|\n")
	ref := r.idle[reference]
	for _, p := range r.inits {
		i := r.idle[p.name]
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s | %s |\n", p.name, i.switches, i.threads, mib(i.rssKB),
			mib(i.anonKB), ratio(float64(i.anonKB)/float64(ref.anonKB)), mib(i.fileKB))
	}
	b.WriteString("\n")
}

func (r *results) writeSizes(b *strings.Builder) {
	b.WriteString("### Binary size\n\n")
	b.WriteString("Size on disk, and of a copy after `strip`. Dynamic binaries also need the C\n")
	b.WriteString("library (not counted).\n\n")
	b.WriteString("| init | path | bytes | after strip | × tini-static | linked |\n|---|---|---:|---:|---:|---|\n")
	ref := r.sizes["tini-static"]
	for _, p := range r.inits {
		s := r.sizes[p.name]
		link := "dynamic"
		if s.static {
			link = "static"
		}
		fmt.Fprintf(b, "| %s | %s | %d | %d | %s | %s |\n", p.name, p.path, s.bytes, s.stripped,
			ratio(float64(s.stripped)/float64(ref.stripped)), link)
	}
	b.WriteString("\n")
}

func rate(v float64) string  { return fmt.Sprintf("%.0f", v) }
func us(ns float64) string   { return fmt.Sprintf("%.1f", ns/1e3) }
func ms(ns float64) string   { return fmt.Sprintf("%.2f", ns/1e6) }
func ratio(v float64) string { return fmt.Sprintf("%.2f×", v) }
func mib(kb int) string      { return fmt.Sprintf("%.2f", float64(kb)/1024) }
func mb(b int64) string      { return fmt.Sprintf("%.2f MB", float64(b)/1e6) }

// usOrNone is us, or "–" for no figure (NaN: no sample).
func usOrNone(ns float64) string {
	if math.IsNaN(ns) {
		return "–"
	}
	return us(ns)
}

func rangeOf[T any](xs []T, f func(T) float64, format func(float64) string) string {
	vs := valuesOf(xs, f)
	return format(quantile(vs, 0)) + "–" + format(quantile(vs, 1))
}

// paired is the geometric mean of the paired ratios xs[i]/refs[i] with
// its 95% confidence interval (pairedRatio), when there is one.
func paired(xs, refs []float64) string { return pairedCell(pairedRatio(xs, refs)) }

// pairedCell writes what pairedRatio found. A round whose figure was 0
// (CPU time below the clock's tick) makes the mean 0 and leaves no
// interval, as one round does.
func pairedCell(geo, lo, hi float64) string {
	switch {
	case geo == 0:
		return ratio(geo) + " (a round measured 0: no interval)"
	case math.IsNaN(lo):
		return ratio(geo) + " (one round: no interval)"
	}
	return fmt.Sprintf("%s (%s–%s)", ratio(geo), ratio(lo), ratio(hi))
}
