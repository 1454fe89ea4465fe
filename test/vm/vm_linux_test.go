package vm

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Limits of one VM. The runner gives each test binary guestTestTimeout
// (go test -test.timeout); the whole VM gets vmTimeout, or less when the
// go test deadline comes first. The VM stage must end within go test's 15
// minutes on 2 cores: three waves of two VMs (go test -parallel is
// GOMAXPROCS) of at most 4.5 minutes each. A passing suite needs well under
// a minute per amd64 VM and about two per arm64 VM, where the reaper binary
// alone takes 104 s under TCG (with one VM running): its limit leaves it
// room for a loaded machine.
const (
	bootTimeout      = 2 * time.Minute
	vmTimeout        = 4*time.Minute + 30*time.Second
	guestTestTimeout = 3 * time.Minute
	deadlineMargin   = 20 * time.Second
)

// TestVM boots every kernel of the matrix with tinit as /init and runs the
// guest tests in it: TestVM/<kernel>/<test binary>. Each architecture of
// the matrix gets its own build and initramfs.
func TestVM(t *testing.T) {
	src := findKernelsOrSkip(t)
	guests := map[string]*guest{}
	var kernels []Kernel
	for _, k := range src.Kernels {
		a, err := archOf(k.Label)
		if err != nil {
			t.Fatal(err)
		}
		if guests[a.GOARCH] == nil {
			guests[a.GOARCH] = prepareGuest(t, a)
		}
		kernels = append(kernels, k)
	}
	cpuinfo, _ := os.ReadFile("/proc/cpuinfo")
	khz := hostKHz(cpuinfo)
	for _, k := range kernels {
		a, _ := archOf(k.Label)
		t.Run(k.Label, func(t *testing.T) {
			t.Parallel()
			bootKernel(t, guests[a.GOARCH], k, khz)
		})
	}
	for _, l := range src.Missing {
		t.Run(l, func(t *testing.T) {
			skipOrFail(t, "kernel %s is not in %s: run make deps (bash test/vm/deps.sh)", l, src.From)
		})
	}
}

// guest is what the kernels of one architecture boot.
type guest struct {
	arch   guestArch
	qemu   string
	initrd string
	tests  []testBinary
}

// findKernelsOrSkip returns the kernels to boot; with none, it skips (or
// fails in CI).
func findKernelsOrSkip(t *testing.T) kernelsSource {
	matrix, err := os.ReadFile("kernels.txt")
	if err != nil {
		t.Fatal(err)
	}
	src, err := findKernels(matrix)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Kernels) == 0 {
		skipOrFail(t, "no kernel in %s: run make deps (bash test/vm/deps.sh)", src.From)
	}
	return src
}

// prepareGuest builds the guest of one architecture and packs the one
// initramfs its kernels boot.
func prepareGuest(t *testing.T, a guestArch) *guest {
	g := &guest{arch: a, qemu: findQemu(t, a)}
	dir := t.TempDir()
	b, err := buildGuest("../..", dir, a.GOARCH, os.Getenv("TINIT_VM_INIT"), a.packages(os.Getenv("TINIT_VM_PACKAGES")))
	if err != nil {
		t.Fatal(err)
	}
	files, notes, err := sourceFiles("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range append(b.Notes, notes...) {
		t.Log(n)
	}
	g.initrd = filepath.Join(dir, "initrd.cpio.gz")
	if err := packImage(b, "../..", files, a.Programs, g.initrd); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(g.initrd); err == nil {
		t.Logf("%s initramfs of %d bytes: /init %s, %d test binaries, %d source files", a.GOARCH, fi.Size(), b.Init, len(b.Tests), len(files))
	}
	g.tests = b.Tests
	return g
}

// bootKernel boots k and turns what the runner said into subtests.
func bootKernel(t *testing.T, g *guest, k Kernel, khz int) {
	tier, err := k.Tier()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, tb := range g.tests {
		paths = append(paths, tb.GuestPath())
	}
	debug := os.Getenv("TINIT_VM_DEBUG") == "1"
	cmdline := kernelCmdline(g.arch, khz, debug, os.Getenv("TINIT_VM_APPEND"), guestCommand(k.Label, tier, guestTestTimeout, paths))
	args := qemuArgs(g.arch, k.Path, g.initrd, cmdline)
	res := runVM(t.Context(), vmRun{Qemu: g.qemu, Args: args, BootTimeout: bootTimeout, Timeout: timeoutFor(t)})
	defer func() {
		if t.Failed() || debug {
			t.Logf("%s %s\nconsole transcript of kernel %s (%s):\n%s\nqemu stderr:\n%s",
				g.qemu, strings.Join(args, " "), k.Label, k.Release, transcript(res.report), res.Stderr)
		}
	}()
	checkBoot(t, k, tier, res)
	for _, tb := range g.tests {
		t.Run(tb.Name(), func(t *testing.T) { checkGuestTest(t, res.test(tb.Name()), res) })
	}
	checkEnd(t, res)
}

// checkBoot checks that the runner started on the kernel it was meant for.
func checkBoot(t *testing.T, k Kernel, tier string, res vmResult) {
	s := res.Start
	if s == nil {
		t.Fatalf("kernel %s (%s) never started the runner: %s", k.Label, k.Release, howEnded(res))
	}
	if s.Release != k.Release || s.Tier != tier || s.Kernel != k.Label {
		t.Errorf("runner started on %s %s expecting %s; want %s %s expecting %s", s.Kernel, s.Release, s.Tier, k.Label, k.Release, tier)
	}
	up := "unknown (no /proc/uptime)"
	if s.Uptime >= 0 {
		up = fmt.Sprintf("%.2f s", s.Uptime)
	}
	t.Logf("boot to first service: %s (guest clock; about 1.1 s passes before it starts); VM wall time %.1f s", up, res.Wall.Seconds())
}

// checkGuestTest fails when a test binary did not run, did not end, or
// failed; it logs the binary's whole output then, and its summary always.
func checkGuestTest(t *testing.T, g *guestTest, res vmResult) {
	switch {
	case g == nil:
		t.Fatalf("did not run (%s)", howEnded(res))
	case g.End == nil:
		t.Logf("output:\n%s", strings.Join(g.Output, "\n"))
		t.Fatalf("did not end: the VM stopped while it ran (%s)", howEnded(res))
	case g.End.Exit != 0:
		t.Logf("output:\n%s", strings.Join(g.Output, "\n"))
		t.Fatalf("exited %d; failed in the guest: %s", g.End.Exit, strings.Join(failedTests(g.Output), ", "))
	}
	t.Logf("%.2f s in the guest\n%s", g.End.Seconds, strings.Join(summaryLines(g.Output), "\n"))
}

// checkEnd checks that the runner finished and tinit powered the VM off.
func checkEnd(t *testing.T, res vmResult) {
	for _, err := range res.Errors {
		t.Errorf("console: %v", err)
	}
	if res.Done == nil {
		t.Errorf("runner did not finish: %s", howEnded(res))
		return
	}
	if res.Killed != "" || res.Err != nil {
		t.Errorf("VM did not power off after the runner finished: %s", howEnded(res))
	}
}

func howEnded(res vmResult) string {
	switch {
	case res.Killed != "":
		return "killed, " + res.Killed
	case res.Err != nil:
		return "qemu: " + res.Err.Error()
	}
	return fmt.Sprintf("qemu exited after %.1f s", res.Wall.Seconds())
}

func transcript(r report) string {
	s := strings.Join(r.Lines, "\n")
	if r.Truncated {
		s += fmt.Sprintf("\n[transcript cut at %d lines]", maxLines)
	}
	return s
}

// timeoutFor is vmTimeout, shortened to end before the go test deadline.
func timeoutFor(t *testing.T) time.Duration {
	d := vmTimeout
	if dl, ok := t.Deadline(); ok && time.Until(dl)-deadlineMargin < d {
		d = max(time.Until(dl)-deadlineMargin, time.Second)
	}
	return d
}

// findQemu returns the QEMU binary of a from PATH (for amd64, TINIT_QEMU
// when set).
func findQemu(t *testing.T, a guestArch) string {
	q := a.Qemu
	if env := os.Getenv("TINIT_QEMU"); env != "" && a.GOARCH == "amd64" {
		q = env
	}
	p, err := exec.LookPath(q)
	if err != nil {
		skipOrFail(t, "no QEMU (%v): run make deps (bash test/vm/deps.sh), or set TINIT_QEMU", err)
	}
	return p
}

// skipOrFail skips, except in CI (CI=true), where what is missing is a
// failure: CI runs make deps first.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: "+format, args...)
	}
	t.Skipf(format, args...)
}
