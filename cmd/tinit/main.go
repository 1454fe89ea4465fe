// Command tinit is the init for containers and microVMs: see helpText, or
// run tinit --help. This is the only package that exits.
package main

import (
	"fmt"
	"os"

	"github.com/tinit/tinit/reaper"
)

// version is set at build time (-X main.version=...).
var version = "dev"

// startPpid is tinit's parent when it started, to tell whether it died
// before tinit could ask to hear of it.
var startPpid = os.Getppid()

func main() {
	os.Exit(run(os.Args[1:], os.Environ()))
}

// run is tinit's life as a list of phases: read the command line, then do
// the one thing it asks for; it returns the exit code.
func run(args, env []string) int {
	log := &logger{w: os.Stderr}
	o, err := parseArgs(args, getenvFrom(env))
	if err != nil {
		log.errorf("%v (%s)", err, usageHint)
		return exitUsage
	}
	log.level = o.verbosity
	switch o.mode {
	case modeHelp:
		fmt.Print(helpText)
		return 0
	case modeVersion:
		fs := reaper.Probe()
		fmt.Printf("tinit %s\n%v\n", version, &fs)
		return 0
	case modeCheck, modeServices:
		log.errorf("--config and check: the service manager is not part of this build yet")
		return exitUsage
	default:
		return runSingle(o, log, env)
	}
}
