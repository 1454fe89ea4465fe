// Command runner is the first service of a VM test: tinit, as /init, starts
// it with the guest test binaries to run. It runs each in turn with
// -test.v -test.short, tells each through the environment which kernel it
// is on, which tier tinit must find there and where tinit is (TINIT_VM=1,
// TINIT_VM_KERNEL, TINIT_EXPECT_TIER, TINIT_BINARY=/init),
// and frames their output on the console with lines the host harness reads:
//
//	TINIT-VM START kernel=6.1 release=6.1.0-50-cloud-amd64 tier=pidfd uptime=2.41 tests=2
//	TINIT-VM BEGIN init
//	... the test binary's own output ...
//	TINIT-VM END init exit=0 seconds=0.12
//	TINIT-VM DONE exit=0 passed=2 failed=0
//
// uptime is the guest's clock when the runner starts: boot to first service.
// The runner exits 0 when every test binary passed, 1 otherwise.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tinit/tinit/test/vm/internal/console"
)

type config struct {
	kernel  string
	tier    string
	timeout time.Duration
	tests   []string
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "runner: %v\n", err)
		os.Exit(2)
	}
	os.Exit(run(cfg, os.Stdout))
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("runner", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // main prints the error
	var cfg config
	fs.StringVar(&cfg.kernel, "kernel", "", "label of the kernel (TINIT_VM_KERNEL)")
	fs.StringVar(&cfg.tier, "tier", "", "tier tinit must find: autoreap or pidfd (TINIT_EXPECT_TIER)")
	fs.DurationVar(&cfg.timeout, "timeout", 3*time.Minute, "limit for each test binary")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.tests = fs.Args()
	if cfg.kernel == "" || cfg.tier == "" || len(cfg.tests) == 0 {
		return cfg, errors.New("usage: runner -kernel LABEL -tier TIER TEST-BINARY [TEST-BINARY]")
	}
	return cfg, nil
}

// run runs every test binary and returns the runner's exit code.
func run(cfg config, out io.Writer) int {
	fmt.Fprintln(out, console.Start{Kernel: cfg.kernel, Release: release(), Tier: cfg.tier, Uptime: uptime(), Tests: len(cfg.tests)})
	failed := 0
	for _, test := range cfg.tests {
		if runTest(cfg, test, out) != 0 {
			failed++
		}
	}
	code := 0
	if failed > 0 {
		code = 1
	}
	fmt.Fprintln(out, console.Done{Exit: code, Passed: len(cfg.tests) - failed, Failed: failed})
	return code
}

// runTest runs one test binary in its own directory (as go test runs a
// package's tests in the package's directory) and returns its exit code.
func runTest(cfg config, test string, out io.Writer) int {
	name := strings.TrimSuffix(filepath.Base(test), ".test")
	fmt.Fprintln(out, console.Begin{Name: name})
	start := time.Now()
	code := execTest(cfg, test, name, out)
	fmt.Fprintln(out, console.End{Name: name, Exit: code, Seconds: time.Since(start).Seconds()})
	return code
}

func execTest(cfg config, test, name string, out io.Writer) int {
	// -test.timeout panics a stuck test with every goroutine's stack; the
	// context is the backstop for a binary that cannot even do that.
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, test, testArgs(cfg)...)
	cmd.Dir = filepath.Dir(test)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), testEnv(cfg)...)
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	default:
		fmt.Fprintf(out, "runner: %s: %v\n", name, err)
		return 125
	}
}

// guestPath is the PATH of the tests: the guest has the programs of
// test/vm/pack.go at their host paths, and the kernel gives init no PATH.
const guestPath = "PATH=/usr/bin:/bin"

// tinitBinary is the tinit under test in the guest: the kernel's /init.
const tinitBinary = "/init"

// testEnv is what every test binary finds in its environment beside what
// the kernel gave init: a PATH, that it runs in the VM, on which kernel,
// which tier tinit must find there, and where tinit is (the guest has no
// go command to build it).
func testEnv(cfg config) []string {
	return []string{guestPath, "TINIT_VM=1", "TINIT_VM_KERNEL=" + cfg.kernel, "TINIT_EXPECT_TIER=" + cfg.tier, "TINIT_BINARY=" + tinitBinary}
}

// testArgs are the flags of every test binary. -test.short because a TCG
// guest runs tens of times slower than the host: a stress test scales down
// or leaves its full size to the host.
func testArgs(cfg config) []string {
	return []string{"-test.v", "-test.count=1", "-test.short", "-test.timeout=" + cfg.timeout.String()}
}

// uptime returns the first field of /proc/uptime, seconds since boot, or -1.
func uptime() float64 {
	b, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

func release() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}
