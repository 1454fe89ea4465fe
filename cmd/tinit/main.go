// Command tinit is the init for containers and microVMs: see helpText, or
// run tinit --help. This is the only package that exits.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/tinit/tinit/reaper"
)

// version is set at build time (-X main.version=...).
var version = "dev"

// startPpid is tinit's parent when it started, to tell whether it died
// before tinit could ask to hear of it.
var startPpid = os.Getppid()

// The main goroutine keeps the main thread, to which the kernel offers
// tinit's signals first: there reaper.ServeSignals waits for them and
// forwards them, while tinit runs on another goroutine and ends with
// os.Exit.
func init() { runtime.LockOSThread() }

func main() {
	go func() { os.Exit(run(os.Args[1:], environ())) }()
	err := reaper.ServeSignals()
	// Only a bug gets here; the signals are still caught on other threads.
	fmt.Fprintf(os.Stderr, "tinit: %v\n", err)
	select {}
}

// environ is tinit's environment exactly as it was given, duplicates
// included (os.Environ drops them), for the child to get the same.
func environ() []string {
	b, err := os.ReadFile("/proc/self/environ")
	if err != nil {
		return os.Environ()
	}
	var env []string
	for _, kv := range strings.Split(string(b), "\x00") {
		if kv != "" {
			env = append(env, kv)
		}
	}
	return env
}

// run is tinit's life as a list of phases: learn whether it is a
// machine's init, and if so mount what a machine needs; read the command
// line; do the one thing it asks for; end. It returns the exit code,
// except as a machine's init, which must not exit (the kernel would
// panic): that powers the machine off instead, whatever happened before.
func run(args, env []string) int {
	m := startMachine()
	log := newLogger(os.Stderr, 0)
	o, err := parseArgs(args, lookupEnvFrom(env), m.machine, fileExists)
	if err == nil {
		log = newLogger(os.Stderr, o.verbosity)
	}
	m.report(log)
	code, what := exitUsage, ""
	switch {
	case err != nil:
		log.errorf("%v (%s)", err, usageHint)
	case m.machine:
		code, what = surviving(log, func() int { return do(o, log, env) }), o.what()
	default:
		code, what = do(o, log, env), o.what()
	}
	if m.machine {
		powerOff(log, what, code)
	}
	return code
}

// do does what o asks for and returns the exit code.
func do(o *options, log *logger, env []string) int {
	switch o.mode {
	case modeHelp:
		fmt.Print(helpText)
		return 0
	case modeVersion:
		fs := reaper.Probe()
		fmt.Printf("tinit %s\n%v\n", version, &fs)
		return 0
	case modeCheck:
		return runCheck(o)
	case modeServices:
		return runServices(o, log, env)
	default:
		return runSingle(o, log, env)
	}
}
