package reaper

// Benchmarks of the spawn path and of orphan reaping. Each one measures a
// reference in the same run, interleaved with tinit's path, and reports
// the ratio: on a shared 2-CPU machine absolute figures move 2× between
// runs, ratios much less. bench/RESULTS.md has the figures and the
// commands (bench/run.sh runs them).

import (
	"context"
	"errors"
	"fmt"
	"github.com/tinit/tinit/internal/testhelper"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	helpers["bench-init"] = helperBenchInit
}

// spawnBlock is how many spawns one path makes before the other takes
// over: small enough that both see the same load, large enough that the
// Reaper's New and Close (which os/exec needs between blocks) cost
// nothing per spawn.
const spawnBlock = 64

// BenchmarkSpawnWait starts and waits for a static `true` (no libc: its
// _start calls exit_group) through tinit's path, reaper.Start + Wait +
// Process.Close, and through exec.Command(true).Run() (as Start + Wait),
// in alternating blocks of spawnBlock; and, as a third path, through the
// floor of tinit's path (spawnViaFloor). One op is one spawn of each. A
// Reaper takes every child's status once it runs, so it is closed (and a
// new one made) around each block of the other paths. The children get
// the same environment; os/exec also opens /dev/null for the nil stdio,
// as a plain Run does.
//
// Metrics: mean and median ns per spawn of tinit's path and os/exec, and
// their ratios (tinit/osexec; the goal is at most 0.8); the medians of
// the start alone (Start, cmd.Start) and of the wait alone (the rest) of
// each; the context switches of this process (all threads) per spawn of
// each; the floor's median and its ratio to os/exec's. The sub-benchmark
// names the tier.
func BenchmarkSpawnWait(b *testing.B) {
	truePath := buildC(b, "true", "-static", "-nostdlib", "-O2")
	for _, tier := range benchTiers() {
		b.Run("tier="+tier.name, func(b *testing.B) {
			benchSpawnWait(b, truePath, tier.disable)
		})
	}
}

type benchTier struct {
	name    string
	disable Feature
}

// benchTiers lists the tiers this kernel can run: autoreap (when it has
// it) and pidfd (by disabling autoreap, if need be).
func benchTiers() []benchTier {
	fs := Probe()
	pidfd := benchTier{name: TierPidfd.String()}
	if fs.Tier() != TierAutoreap {
		return []benchTier{pidfd}
	}
	pidfd.disable = Autoreap
	return []benchTier{{name: TierAutoreap.String()}, pidfd}
}

func benchSpawnWait(b *testing.B, path string, disable Feature) {
	env := os.Environ()
	b.Cleanup(func() { waitNoChildren(b) })
	var viaReaper, viaExec, viaFloor spawnTimes
	paths := []func(n int){
		func(n int) { viaReaper.add(spawnViaReaper(b, path, env, disable, n)) },
		func(n int) { viaExec.add(spawnViaExec(b, path, n)) },
		func(n int) { viaFloor.add(spawnViaFloor(b, path, env, disable, n)) },
	}
	b.ResetTimer()
	for done, block := 0, 0; done < b.N; block++ {
		n := min(spawnBlock, b.N-done)
		for i := range paths {
			paths[(block+i)%len(paths)](n)
		}
		done += n
	}
	b.StopTimer()
	reportPair(b, "ns/spawn", viaReaper.total, viaExec.total)
	b.ReportMetric(median(viaReaper.start), "tinit-start-med-ns/spawn")
	b.ReportMetric(median(viaExec.start), "osexec-start-med-ns/spawn")
	b.ReportMetric(median(viaReaper.waits()), "tinit-wait-med-ns/spawn")
	b.ReportMetric(median(viaExec.waits()), "osexec-wait-med-ns/spawn")
	b.ReportMetric(float64(viaReaper.switches)/float64(len(viaReaper.total)), "tinit-switches/spawn")
	b.ReportMetric(float64(viaExec.switches)/float64(len(viaExec.total)), "osexec-switches/spawn")
	b.ReportMetric(median(viaFloor.total), "floor-med-ns/spawn")
	b.ReportMetric(median(viaFloor.total)/median(viaExec.total), "floor/osexec-med")
}

// spawnTimes are the durations of spawns: from start to the end of the
// wait, and of the start alone (Start returned); and the context switches
// of this process's threads meanwhile.
type spawnTimes struct {
	total, start []time.Duration
	switches     int
}

// waits are the durations from the start's return to the end of the wait.
func (s *spawnTimes) waits() []time.Duration {
	w := make([]time.Duration, len(s.total))
	for i := range w {
		w[i] = s.total[i] - s.start[i]
	}
	return w
}

func (s *spawnTimes) add(t spawnTimes) {
	s.total = append(s.total, t.total...)
	s.start = append(s.start, t.start...)
	s.switches += t.switches
}

func (s *spawnTimes) record(t0, started time.Time) {
	s.total = append(s.total, time.Since(t0))
	s.start = append(s.start, started.Sub(t0))
}

// spawnViaReaper makes n spawns through a fresh Reaper and closes it.
func spawnViaReaper(b *testing.B, path string, env []string, disable Feature, n int) (times spawnTimes) {
	r, err := New(Options{Disable: disable})
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	spec := &Spec{Path: path, Env: env}
	defer times.countSwitches()()
	for range n {
		t0 := time.Now()
		p, err := r.Start(spec)
		started := time.Now()
		if err != nil {
			b.Fatalf("Start %s: %v", path, err)
		}
		e, err := p.Wait(ctx)
		p.Close()
		times.record(t0, started)
		if err != nil || !e.Success() {
			b.Fatalf("%s: got %v, %v; want exit status 0", path, e, err)
		}
	}
	return times
}

// spawnViaFloor makes n spawns through Start's own code (prepare, then
// spawn) and waits for each as os/exec waits, blocking a thread in a
// system call: wait4 on the pid, or on the autoreap tier poll on the
// pidfd and then its exit information. No netpoller, no reaper loop: the
// Reaper is made for its plan and closed before the first spawn, so
// SIGCHLD is the Go runtime's again, as in os/exec's blocks. This is the
// floor of tinit's path on this machine; tinit's time less it is what
// watching exits without a thread per process costs.
func spawnViaFloor(b *testing.B, path string, env []string, disable Feature, n int) (times spawnTimes) {
	r, err := New(Options{Disable: disable})
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	r.Close()
	spec := &Spec{Path: path, Env: env}
	defer times.countSwitches()()
	for range n {
		t0 := time.Now()
		pl, err := r.prepare(spec)
		pid := 0
		if err == nil {
			pid, err = spawn(pl)
		}
		started := time.Now()
		if err != nil || pl.failStage != stageNone {
			b.Fatalf("spawn %s: %v (stage %v)", path, err, pl.failStage)
		}
		pidfd := int(pl.pidfd)
		e, err := floorWait(r.tier, pid, pidfd)
		unix.Close(pidfd)
		times.record(t0, started)
		if err != nil || !e.Success() {
			b.Fatalf("%s: got %v, %v; want exit status 0", path, e, err)
		}
	}
	return times
}

// floorWait blocks the calling thread until the child pid (of pidfd) has
// exited, and reaps it on the pidfd tier.
func floorWait(tier Tier, pid, pidfd int) (Exit, error) {
	if tier == TierPidfd {
		var ws syscall.WaitStatus
		err := ignoringEINTR(func() error {
			_, err := syscall.Wait4(pid, &ws, 0, nil)
			return err
		})
		if err != nil {
			return Exit{}, os.NewSyscallError("wait4", err)
		}
		return exitFromWaitStatus(ws), nil
	}
	fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	if err := ignoringEINTR(func() error { _, err := unix.Poll(fds, -1); return err }); err != nil {
		return Exit{}, os.NewSyscallError("poll", err)
	}
	return exitPublished(pidfd)
}

// spawnViaExec makes n spawns with os/exec; no Reaper runs meanwhile.
// Start and Wait are what Run does, split to time the start alone.
func spawnViaExec(b *testing.B, path string, n int) (times spawnTimes) {
	defer times.countSwitches()()
	for range n {
		t0 := time.Now()
		cmd := exec.Command(path)
		err := cmd.Start()
		started := time.Now()
		if err == nil {
			err = cmd.Wait()
		}
		times.record(t0, started)
		if err != nil {
			b.Fatalf("os/exec %s: %v", path, err)
		}
	}
	return times
}

// countSwitches starts counting this process's context switches; the
// function it returns adds those since.
func (s *spawnTimes) countSwitches() func() {
	before := selfSwitches()
	return func() { s.switches += selfSwitches() - before }
}

// selfSwitches sums the voluntary and involuntary context switches of
// every thread of this process.
func selfSwitches() int {
	files, _ := filepath.Glob("/proc/self/task/*/status")
	sum := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread exited
		}
		for _, key := range []string{"voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"} {
			n, _ := strconv.Atoi(testhelper.StatusField(string(b), key))
			sum += n
		}
	}
	return sum
}

// reportPair reports mean and median of tinit's and the reference's
// samples, and tinit/reference for both.
func reportPair(b *testing.B, unit string, tinit, ref []time.Duration) {
	tm, rm := mean(tinit), mean(ref)
	tmed, rmed := median(tinit), median(ref)
	b.ReportMetric(tm, "tinit-"+unit)
	b.ReportMetric(rm, "osexec-"+unit)
	b.ReportMetric(tmed, "tinit-med-"+unit)
	b.ReportMetric(rmed, "osexec-med-"+unit)
	b.ReportMetric(tm/rm, "tinit/osexec")
	b.ReportMetric(tmed/rmed, "tinit/osexec-med")
}

func mean(ds []time.Duration) float64 {
	var sum float64
	for _, d := range ds {
		sum += float64(d)
	}
	return sum / float64(len(ds))
}

func median(ds []time.Duration) float64 {
	return medianOf(ds, func(d time.Duration) float64 { return float64(d) })
}

// medianOf is the median of f over xs.
func medianOf[T any](xs []T, f func(T) float64) float64 {
	s := make([]float64, len(xs))
	for i, x := range xs {
		s[i] = f(x)
	}
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Orphan benchmark sizes: the vfork storm makes orphanBatches children,
// each of which makes orphanBatchSize orphans and exits without reaping
// them. Well under pid_max (32768 here), so no pid is reused in a round.
const (
	orphanBatches   = 10
	orphanBatchSize = 1000
	orphanTotal     = orphanBatches * orphanBatchSize
)

// BenchmarkOrphansPID1 measures how fast orphans are reaped by PID 1 of a
// new PID namespace: the reaper (this test binary as "helper-bench-init")
// against bench/c/waitinit.c, a C init that reaps with a blocking
// waitpid(-1) loop. Both run the same orphan maker, the vfork storm of
// storm_test.go (helper-storm), as their child, and time themselves from
// just before starting it until it has exited and every orphan has been
// reaped. One op is one round of each, in alternating order.
//
// Metrics: median orphans/s of each, their ratio (tinit/c), and the
// init's own CPU time (user+system, all threads) per orphan.
func BenchmarkOrphansPID1(b *testing.B) {
	if os.Getuid() != 0 {
		b.Fatal("BenchmarkOrphansPID1 needs root (a new PID namespace)")
	}
	waitinit := buildC(b, "waitinit", "-static", "-O2")
	storm := []string{helperPath, "helper-storm", itoa(orphanBatches), itoa(orphanBatchSize)}
	b.Cleanup(func() { waitNoChildren(b) })
	var viaReaper, viaC []orphanRun
	for i := range b.N {
		reaperRound := func() {
			viaReaper = append(viaReaper, runAsPID1(b, helperPath, append([]string{"helper-bench-init", itoa(orphanTotal)}, storm...)))
		}
		cRound := func() {
			viaC = append(viaC, runAsPID1(b, waitinit, append([]string{"waitinit", itoa(orphanTotal)}, storm...)))
		}
		if i%2 == 0 {
			reaperRound()
			cRound()
		} else {
			cRound()
			reaperRound()
		}
	}
	b.StopTimer()
	tr, cr := medianOf(viaReaper, orphanRun.rate), medianOf(viaC, orphanRun.rate)
	b.ReportMetric(tr, "tinit-orphans/s")
	b.ReportMetric(cr, "c-orphans/s")
	b.ReportMetric(tr/cr, "tinit/c")
	b.ReportMetric(medianOf(viaReaper, orphanRun.cpuPerOrphan), "tinit-cpu-ns/orphan")
	b.ReportMetric(medianOf(viaC, orphanRun.cpuPerOrphan), "c-cpu-ns/orphan")
}

// orphanRun is what an init reports: "orphans N ns ELAPSED cpu_ns CPU
// rate R" (R, N per second, is for people: it is computed again here).
type orphanRun struct {
	orphans, ns, cpuNs float64
}

func (o orphanRun) rate() float64         { return o.orphans / o.ns * 1e9 }
func (o orphanRun) cpuPerOrphan() float64 { return o.cpuNs / o.orphans }

func (o orphanRun) String() string {
	return fmt.Sprintf("orphans %.0f ns %.0f cpu_ns %.0f rate %.0f", o.orphans, o.ns, o.cpuNs, o.rate())
}

func parseOrphanRun(line string) (orphanRun, error) {
	var o orphanRun
	_, err := fmt.Sscanf(strings.TrimSpace(line), "orphans %g ns %g cpu_ns %g", &o.orphans, &o.ns, &o.cpuNs)
	if err != nil {
		return o, fmt.Errorf("parse %q: %w", line, err)
	}
	if o.ns <= 0 {
		return o, fmt.Errorf("parse %q: elapsed time not positive", line)
	}
	return o, nil
}

// runAsPID1 runs path with args (args[0] is its argv[0]) as PID 1 of a new
// PID namespace and parses the line it prints.
func runAsPID1(b *testing.B, path string, args []string) orphanRun {
	cmd := &exec.Cmd{Path: path, Args: args, Stderr: os.Stderr}
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s as PID 1: %v\n%s", args[0], err, out)
	}
	o, err := parseOrphanRun(string(out))
	if err != nil {
		b.Fatalf("%s as PID 1: %v", args[0], err)
	}
	if o.orphans != orphanTotal {
		b.Fatalf("%s as PID 1: reaped %v orphans, want %d", args[0], o.orphans, orphanTotal)
	}
	return o
}

// helperBenchInit is the reaper's side of BenchmarkOrphansPID1, run as PID
// 1: "bench-init N PATH ARGV0 ARGS..." starts PATH through a Reaper and
// reports, as waitinit.c does, once PATH has exited and N orphans have
// been reaped.
func helperBenchInit(args []string) int {
	want, _ := strconv.ParseUint(args[0], 10, 64)
	var reaped atomic.Uint64
	all := make(chan struct{})
	var once sync.Once
	r, err := New(Options{OnOrphan: func(int, Exit) {
		if reaped.Add(1) == want {
			once.Do(func() { close(all) })
		}
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-init:", err)
		return 1
	}
	defer r.Close()
	t0, c0 := time.Now(), cpuTime()
	if err := runMaker(r, args[1], args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench-init:", err)
		return 1
	}
	select {
	case <-all:
	case <-time.After(time.Minute):
		fmt.Fprintf(os.Stderr, "bench-init: %d of %d orphans reaped after a minute\n", reaped.Load(), want)
		return 1
	}
	fmt.Println(orphanRun{orphans: float64(reaped.Load()), ns: float64(time.Since(t0)), cpuNs: float64(cpuTime() - c0)})
	return 0
}

// runMaker starts the orphan maker and waits for it to succeed.
func runMaker(r *Reaper, path string, args []string) error {
	p, err := r.Start(&Spec{Path: path, Args: args, Env: os.Environ(), Stderr: os.Stderr})
	if err != nil {
		return err
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, err := p.Wait(ctx)
	if err == nil && !e.Success() {
		err = errors.New(e.String())
	}
	if err != nil {
		return fmt.Errorf("orphan maker %s: %w", args[0], err)
	}
	return nil
}

// cpuTime is this process's user+system time, all threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// buildC compiles bench/c/NAME.c with gcc and flags into the test's
// temporary directory (once per process) and returns the program's path.
func buildC(b *testing.B, name string, flags ...string) string {
	built.Lock()
	defer built.Unlock()
	out := filepath.Join(filepath.Dir(helperPath), name)
	if built.done[out] {
		return out
	}
	src := filepath.Join("..", "bench", "c", name+".c")
	cmd := exec.Command("gcc", append(flags, "-o", out, src)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("gcc %s: %v\n%s", src, err, msg)
	}
	if built.done == nil {
		built.done = map[string]bool{}
	}
	built.done[out] = true
	return out
}

var built struct {
	sync.Mutex
	done map[string]bool
}
