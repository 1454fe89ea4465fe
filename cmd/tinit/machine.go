package main

import (
	"runtime/debug"

	pid1 "github.com/tinit/tinit/init"
)

// machineStart is how tinit began: as a machine's init, with what it
// mounted and set up, or not, and why not when it is PID 1.
type machineStart struct {
	machine   bool
	why       error // PID 1, but not a machine's init
	mounted   []pid1.Mount
	mountErr  error
	setUp     []string // pid1.SetUp's steps, as shell commands
	setUpErrs []error
}

// startMachine finds out whether tinit is a machine's init and, if so,
// mounts what a machine needs before anything else, so that even a
// usage error ends in a clean power-off, and sets up the rest (/dev
// links, hostname, lo). No failure is fatal.
func startMachine() machineStart {
	var m machineStart
	m.machine, m.why = pid1.Machine()
	if m.machine {
		m.mounted, m.mountErr = pid1.MountEarly()
		m.setUp, m.setUpErrs = pid1.SetUp()
	}
	return m
}

// report logs how tinit began, once its verbosity is known.
func (m machineStart) report(log *logger) {
	if m.why != nil {
		log.debugf("PID 1 of a container, not of a machine: %v", m.why)
	}
	for _, mt := range m.mounted {
		log.debugf("%v", mt)
	}
	if m.mountErr != nil {
		log.errorf("mount early filesystems: %v; carrying on", m.mountErr)
	}
	for _, step := range m.setUp {
		log.debugf("%s", step)
	}
	for _, err := range m.setUpErrs {
		log.warnf("%v, ignoring", err)
	}
}

// surviving runs f, a machine's main work, and turns a panic in it into
// exitFailure, logged with its stack: a machine's init must not die,
// which the kernel would answer with a panic of its own, the services'
// data unsynced; run powers off after it as after any end. tinit's other
// goroutines recover their own (the reaper's OnPanic, the supervisor's
// loop, the output forwarders).
func surviving(log *logger, f func() int) (code int) {
	defer func() {
		if v := recover(); v != nil {
			log.errorf("tinit failed: panic: %v\n%s", v, debug.Stack())
			code = exitFailure
		}
	}()
	return f()
}

// powerOff ends a machine's init, which must not exit: it says what
// ended ("": nothing ran) with which code, syncs, unmounts and powers off
// (pid1.Halt). It never returns.
func powerOff(log *logger, what string, code int) {
	if what == "" {
		log.printf("exit code %d; powering off", code)
	} else {
		log.printf("%s ended with code %d; powering off", what, code)
	}
	pid1.Halt(pid1.PowerOff, log.warnf)
}

// what names what tinit ran, for a machine's last message: the command
// or the services; "" for help, version and check.
func (o *options) what() string {
	switch o.mode {
	case modeSingle:
		return o.command[0]
	case modeServices:
		return "services"
	}
	return ""
}
