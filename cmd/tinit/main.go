// Command tinit is the init for containers and microVMs: see helpText, or
// run tinit --help. This is the only package that exits.
package main

import (
	"fmt"
	"os"
	"strings"

	pid1 "github.com/tinit/tinit/init"
	"github.com/tinit/tinit/reaper"
)

// version is set at build time (-X main.version=...).
var version = "dev"

// startPpid is tinit's parent when it started, to tell whether it died
// before tinit could ask to hear of it.
var startPpid = os.Getppid()

func main() {
	os.Exit(run(os.Args[1:], environ()))
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
// machine's init, read the command line, then do the one thing it asks
// for; it returns the exit code.
func run(args, env []string) int {
	log := newLogger(os.Stderr, 0)
	machine, notMachine := pid1.Machine()
	o, err := parseArgs(args, lookupEnvFrom(env))
	if err != nil {
		log.errorf("%v (%s)", err, usageHint)
		return exitUsage
	}
	o.machine = machine
	log = newLogger(os.Stderr, o.verbosity)
	if notMachine != nil {
		log.debugf("PID 1 of a container, not of a machine: %v", notMachine)
	}
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
