package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	pid1 "github.com/tinit/tinit/init"
	"github.com/tinit/tinit/reaper"
)

// runSingle is tinit -- CMD: one child, signals forwarded to it, its exit
// code returned, the rest of the tree stopped after it.
func runSingle(o *options, log *logger, env []string) int {
	st := readStartState()
	inherited := inheritedFiles()
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, asOSSignals(forwardedSignals())...)
	signal.Ignore(syscall.SIGTTIN, syscall.SIGTTOU)
	machine, err := becomeInit(o, log)
	if err != nil {
		log.errorf("%v", err)
		return exitFailure
	}

	r, err := newReaper(o, log, env)
	if err != nil {
		log.errorf("%v", err)
		return exitFailure
	}
	code := runChild(o, log, r, childSpec(o, st, env, inherited), sigs)
	if !o.exitAtOnce {
		stopRest(r, o.grace, log)
	}
	r.Close() // the last reports of reaped orphans are out
	if machine {
		log.printf("%s exited with code %d; powering off", o.command[0], code)
		pid1.Halt(pid1.PowerOff, log.warnf)
	}
	return code
}

// becomeInit sets tinit up as PID 1 or as a subreaper. As PID 1 of a
// machine (nothing mounted yet: the kernel started it) it mounts the early
// filesystems and reports machine = true, for a power-off at the end.
func becomeInit(o *options, log *logger) (machine bool, err error) {
	if os.Getpid() == 1 {
		mounted, err := pid1.MountEarly()
		for _, m := range mounted {
			log.debugf("%v", m)
			if m.Target == "/proc" {
				machine = true
			}
		}
		if err != nil {
			// A PID 1 that returns panics the kernel: carry on without.
			log.errorf("mount early filesystems: %v; carrying on", err)
		}
	} else if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return false, os.NewSyscallError("prctl PR_SET_CHILD_SUBREAPER", err)
	}
	return machine, setParentDeathSignal(o.pdeathsig)
}

// setParentDeathSignal asks for sig when tinit's parent dies; if it died
// already, tinit sends sig to itself, as the kernel would have.
func setParentDeathSignal(sig syscall.Signal) error {
	if sig == 0 {
		return nil
	}
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(sig), 0, 0, 0); err != nil {
		return os.NewSyscallError("prctl PR_SET_PDEATHSIG", err)
	}
	if os.Getppid() != startPpid {
		return unix.Kill(os.Getpid(), sig)
	}
	return nil
}

func newReaper(o *options, log *logger, env []string) (*reaper.Reaper, error) {
	disable, err := disabledFeatures(getenvFrom(env)(envFeatures))
	if err != nil {
		return nil, err
	}
	r, err := reaper.New(reaper.Options{
		Disable:  disable,
		OnOrphan: orphanReporter(o, log),
		OnPanic:  func(v any) { log.errorf("panic in the reaper, carrying on: %v", v) },
	})
	if err != nil {
		return nil, err
	}
	fs := r.Features()
	log.infof("%v", &fs)
	return r, nil
}

func orphanReporter(o *options, log *logger) func(int, reaper.Exit) {
	return func(pid int, e reaper.Exit) {
		if o.warnReap {
			log.warnf("reaped zombie process %d (%v)", pid, e)
			return
		}
		log.debugf("reaped orphan %d (%v)", pid, e)
	}
}

// disabledFeatures parses TINIT_DISABLE_FEATURES.
func disabledFeatures(v string) (reaper.Feature, error) {
	var set reaper.Feature
	for _, name := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		f, err := reaper.ParseFeature(name)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", envFeatures, err)
		}
		set |= f
	}
	return set, nil
}

// childSpec is the child as tini would start it: PATH lookup, tinit's
// environment, stdio and every inherited fd, its own process group (the
// terminal's foreground group when tinit holds the terminal), the signals
// ignored when tinit started, the RLIMIT_NOFILE tinit was given.
func childSpec(o *options, st startState, env []string, inherited []*os.File) *reaper.Spec {
	s := &reaper.Spec{
		Path:       o.command[0],
		Args:       o.command,
		Env:        env,
		PidEnv:     "LISTEN_PID",
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		ExtraFiles: inherited,
		Setpgid:    true,
		Ignore:     st.ignored,
	}
	if st.nofile != nil {
		s.Rlimits = []reaper.Rlimit{{Resource: unix.RLIMIT_NOFILE, Cur: st.nofile.Cur, Max: st.nofile.Max}}
	}
	if ownsTerminal(0) {
		s.Foreground, s.Ctty = true, 0
	}
	return s
}

// ownsTerminal reports whether fd is a terminal whose foreground process
// group is tinit's: only then does tinit hand it to the child (a job in
// the background must not steal the terminal).
func ownsTerminal(fd int) bool {
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

// runChild starts the child, forwards signals until it exits, and returns
// tinit's exit code.
func runChild(o *options, log *logger, r *reaper.Reaper, spec *reaper.Spec, sigs <-chan os.Signal) int {
	path, err := lookPath(spec.Path, getenvFrom(spec.Env)("PATH"))
	if err == nil {
		spec.Path = path
		var p *reaper.Process
		if p, err = r.Start(spec); err == nil {
			defer p.Close()
			log.infof("started %s (pid %d)", spec.Args[0], p.Pid())
			e := forwardUntilExit(o, log, p, sigs)
			log.infof("%s (pid %d) %v", spec.Args[0], p.Pid(), e)
			return o.exitCode(e.Code())
		}
	}
	return startFailure(log, spec.Args[0], err)
}

// startFailure reports why the program could not run, as a shell would:
// 127 when it was not found, 126 when it cannot be executed.
func startFailure(log *logger, name string, err error) int {
	var se *reaper.StartError
	switch {
	case errors.Is(err, syscall.ENOENT) && (!errors.As(err, &se) || se.NotFound()):
		log.errorf("%s: command not found", name)
		return exitNotFound
	case errors.Is(err, syscall.EACCES) || errors.As(err, &se) && se.NotExecutable():
		log.errorf("%s: cannot execute: %v", name, errors.Unwrap(err))
		return exitCannotExec
	default:
		log.errorf("%v", err)
		return exitFailure
	}
}

// forwardUntilExit forwards each signal tinit gets to the child (or its
// group) until the child exits.
func forwardUntilExit(o *options, log *logger, p *reaper.Process, sigs <-chan os.Signal) reaper.Exit {
	for {
		select {
		case s := <-sigs:
			forward(o, log, p, s.(syscall.Signal))
		case <-p.Done():
			return p.Exit()
		}
	}
}

func forward(o *options, log *logger, p *reaper.Process, sig syscall.Signal) {
	to := o.rewritten(sig)
	if to == 0 {
		log.tracef("dropping %s (--rewrite)", signalName(sig))
		return
	}
	send := p.Signal
	if o.groupSignals {
		send = p.SignalGroup
	}
	err := send(to)
	switch {
	case err == nil:
		log.tracef("forwarded %s as %s", signalName(sig), signalName(to))
	case errors.Is(err, reaper.ErrProcessDone):
		log.debugf("child gone when forwarding %s", signalName(to))
	default:
		log.warnf("forward %s: %v", signalName(to), err)
	}
}

// killWait bounds the wait after SIGKILL: only a process stuck in the
// kernel (uninterruptible sleep) outlives it.
const killWait = 10 * time.Second

// stopRest stops what is left below tinit once the child is gone:
// SIGTERM, then SIGKILL after grace. It returns the moment no process is
// left.
func stopRest(r *reaper.Reaper, grace time.Duration, log *logger) {
	kids, err := reaper.Children()
	if err != nil {
		log.warnf("%v, not stopping the rest", err)
		return
	}
	if len(kids) == 0 {
		return
	}
	begin := time.Now()
	for _, step := range []struct {
		sig  syscall.Signal
		wait time.Duration
	}{{syscall.SIGTERM, grace}, {syscall.SIGKILL, killWait}} {
		log.infof("sending %s to what is left", signalName(step.sig))
		ctx, cancel := context.WithTimeout(context.Background(), step.wait)
		err := r.StopDescendants(ctx, step.sig)
		cancel()
		if err == nil {
			log.infof("all gone after %v", time.Since(begin).Round(time.Millisecond))
			return
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			log.warnf("stop what is left: %v", err)
			return
		}
	}
	log.warnf("processes left after SIGKILL and %v: stuck in the kernel", killWait)
}

// inheritedFiles returns the fds above 2 that tinit was started with
// (those without close-on-exec: the runtime's own have it), each at its
// number, for the child to get them at the same numbers.
func inheritedFiles() []*os.File {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil
	}
	var fds []int
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 {
			continue
		}
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			fds = append(fds, fd)
		}
	}
	if len(fds) == 0 {
		return nil
	}
	slices.Sort(fds)
	files := make([]*os.File, fds[len(fds)-1]-2)
	for _, fd := range fds {
		files[fd-3] = os.NewFile(uintptr(fd), "inherited fd "+strconv.Itoa(fd))
	}
	return files
}

func asOSSignals(sigs []syscall.Signal) []os.Signal {
	out := make([]os.Signal, len(sigs))
	for i, s := range sigs {
		out[i] = s
	}
	return out
}

// getenvFrom looks names up in an environment list; the first entry
// wins, as in the C library's getenv.
func getenvFrom(env []string) func(string) string {
	return func(name string) string {
		for _, kv := range env {
			if k, v, ok := strings.Cut(kv, "="); ok && k == name {
				return v
			}
		}
		return ""
	}
}
