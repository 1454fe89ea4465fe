package main

import (
	"errors"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/reaper"
	"github.com/tinit/tinit/services"
	"github.com/tinit/tinit/services/output"
)

// runSingle is tinit -- CMD: the supervisor runs one main service, the
// child, started as tini starts it; signals are forwarded to it, its exit
// code is tinit's, and the rest of the tree is stopped after it.
func runSingle(o *options, log *logger, env []string) int {
	st := readStartState()
	inherited := inheritedFiles()
	return asInit(o, log, forwardedSignals(), func(r *reaper.Reaper, sigs <-chan os.Signal) int {
		return superviseChild(o, log, r, st, env, inherited, sigs)
	})
}

// asInit is the life of tinit as an init, in both modes: it takes sigs,
// becomes an init, starts the reaper and calls run; then, on every path,
// a failure too, it closes the reaper (the last reports of reaped orphans
// are out). A machine's init powers off after it (see run).
//
// sigs are held by the reaper's handler from the start
// (reaper.HoldSignals): one that comes before the reaper runs waits, and
// the reaper delivers it first to the channel that run gets; one that
// comes after the reaper has closed is dropped, as tini drops what it
// has blocked when it exits.
func asInit(o *options, log *logger, sigs []syscall.Signal, run func(r *reaper.Reaper, sigs <-chan os.Signal) int) int {
	ch := make(chan os.Signal, 64)
	err := reaper.HoldSignals(sigs)
	signal.Ignore(syscall.SIGTTIN, syscall.SIGTTOU)
	ignoreSynchronousByKill()
	code := exitFailure
	if err == nil {
		err = becomeInit(o)
	}
	if err == nil {
		var r *reaper.Reaper
		if r, err = newReaper(o, log, sigs, ch); err == nil {
			code = run(r, ch)
			r.Close()
		}
	}
	if err != nil {
		log.errorf("%v", err)
	}
	return code
}

// superviseChild runs the child as the main service of a supervisor and
// returns tinit's exit code.
func superviseChild(o *options, log *logger, r *reaper.Reaper, st startState, env []string, inherited []*os.File, sigs <-chan os.Signal) int {
	cfg, err := singleConfig(o)
	if err != nil {
		log.errorf("%v", err)
		return exitFailure
	}
	name := cfg.Services[0].Name
	res, ok := supervise(cfg, services.Options{
		Spawner: &childSpawner{
			reaperSpawner: reaperSpawner{r: r, nofile: st.nofile},
			env:           env,
			ignored:       st.ignored,
			foreground:    ownsTerminal(0),
			route:         o.route,
		},
		Stragglers:            reaperStragglers{r},
		Log:                   log.out,
		Environ:               env,
		Signals:               sigs,
		SignalAction:          o.signalAction,
		Stdio:                 map[string]services.Stdio{name: {Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, ExtraFiles: inherited}},
		ExitAtOnce:            o.exitAtOnce,
		LeftoversToStragglers: true,
	}, log)
	switch {
	case !ok:
		return exitFailure
	case res.Outcome.Main == nil && res.Code != exitNotFound && res.Code != exitNotExecutable:
		return res.Code // tinit could not start the child
	}
	// 127 and 126 too: tini's child exits with them when execvp fails,
	// so its -e applies to them.
	return o.exitCode(res.Code)
}

// singleConfig is the configuration of single-command mode: one main
// service, the child, never restarted; what is left after it gets
// SIGTERM, then SIGKILL after --grace.
func singleConfig(o *options) (*services.Config, error) {
	svc := services.NewService(o.command[0], o.command)
	svc.Main = true
	svc.Restart.Mode = services.RestartNo
	settings := services.DefaultSettings()
	settings.ExitCode = services.ExitMain
	settings.ShutdownTimeout = o.grace
	return services.NewConfig(settings, svc)
}

// signalAction is what a signal tinit receives does in single-command
// mode: it goes on to the child (its process group with -g), as
// --rewrite has it; a signal rewritten to 0 is dropped. A machine's init
// takes SIGINT, which Ctrl-Alt-Del sends it (pid1.Machine), for a request
// to stop: the child gets SIGTERM, SIGKILL after --grace, and the machine
// powers off.
func (o *options) signalAction(sig services.Signal) services.SignalAction {
	if o.isPowerOffRequest(syscall.Signal(sig)) {
		return services.SignalAction{Do: services.SignalShutdown}
	}
	to := o.rewritten(syscall.Signal(sig))
	if to == 0 {
		return services.SignalAction{Do: services.SignalIgnore}
	}
	return services.SignalAction{Do: services.SignalForward, As: services.Signal(to), Group: o.groupSignals}
}

// route is signalAction for the reaper's handler: the signal to forward
// sig as (0: none), and whether to the child's process group.
func (o *options) route(sig syscall.Signal) (as syscall.Signal, group bool) {
	if o.isPowerOffRequest(sig) {
		return 0, false
	}
	return o.rewritten(sig), o.groupSignals
}

// isPowerOffRequest says whether sig asks a machine's init to stop.
func (o *options) isPowerOffRequest(sig syscall.Signal) bool {
	return o.machine && sig == syscall.SIGINT
}

// childSpawner starts the child as tini would: tinit's environment
// exactly (NOTIFY_SOCKET and duplicates included, LISTEN_PID rewritten to
// the child's pid), its own process group (the terminal's foreground
// group when tinit holds the terminal), the signals ignored when tinit
// started kept ignored; and has the reaper's signal handler forward
// signals to it as route says. Other processes start as services' do.
type childSpawner struct {
	reaperSpawner
	env        []string
	ignored    []syscall.Signal
	foreground bool
	route      func(syscall.Signal) (as syscall.Signal, group bool)
}

func (s *childSpawner) Start(ps services.ProcSpec) (services.Proc, error) {
	spec := s.spec(ps)
	if ps.Role == services.RoleService {
		spec.Env, spec.PidEnv, spec.Ignore = s.env, "LISTEN_PID", s.ignored
		spec.Setsid, spec.Setpgid = false, true
		if s.foreground {
			spec.Foreground, spec.Ctty = true, 0
		}
	}
	p, err := s.r.Start(spec)
	if ps.Role == services.RoleService && execFormatError(err) {
		p, err = s.startScript(spec, err)
	}
	if err != nil {
		return nil, err
	}
	if ps.Role == services.RoleService {
		// On failure (no fd left to copy the pidfd into), the supervisor
		// forwards each signal itself, only later.
		s.r.Relay(p, s.route)
	}
	return reaperProc{p}, nil
}

// shell runs what the kernel cannot execute, as execvp does.
const shell = "/bin/sh"

// execFormatError says whether err is the kernel's refusal to execute a
// program it does not recognise: a script without a #! line.
func execFormatError(err error) bool {
	var se *reaper.StartError
	return errors.As(err, &se) && se.Stage == reaper.StageExec && se.Err == syscall.ENOEXEC
}

// startScript starts spec, which the kernel refused with ENOEXEC, as the
// C library's execvp would go on, so as under tini: /bin/sh PATH ARGS...
// (argv[0] dropped). Only the child does: services of a configuration
// file fail, as under systemd. If /bin/sh cannot start either, the error
// is the program's own, refused.
func (s *childSpawner) startScript(spec *reaper.Spec, refused error) (*reaper.Process, error) {
	sh := *spec
	sh.Path = shell
	sh.Args = []string{shell, spec.Path}
	if len(spec.Args) > 1 {
		sh.Args = append(sh.Args, spec.Args[1:]...)
	}
	p, err := s.r.Start(&sh)
	if err != nil {
		return nil, refused
	}
	return p, nil
}

// becomeInit sets tinit up as an init: any process but PID 1 makes
// itself a subreaper. PID 1 has what it needs: a machine's, what run
// mounted; a container's, what its runtime gave it.
func becomeInit(o *options) error {
	if os.Getpid() != 1 {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return os.NewSyscallError("prctl PR_SET_CHILD_SUBREAPER", err)
		}
	}
	return setParentDeathSignal(o.pdeathsig)
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

// newReaper starts the reaper, catching sigs for the channel ch.
func newReaper(o *options, log *logger, sigs []syscall.Signal, ch chan<- os.Signal) (*reaper.Reaper, error) {
	r, err := reaper.New(reaper.Options{
		Disable:  o.disable,
		OnOrphan: orphanReporter(o, log),
		OnPanic:  func(v any) { log.errorf("panic in the reaper, carrying on: %v", v) },
		Signals:  sigs,
		// A forwarded signal is only logged, at -vv: below that, the
		// handler need not wake the Go side for it (it gives the CPU
		// back to the child it signalled sooner).
		DeferForwarded: !log.out.Enabled(output.LevelDebug),
		OnSignal: func(sig syscall.Signal, forwarded bool) {
			var s os.Signal = sig
			if forwarded {
				s = services.Forwarded(sig)
			}
			select {
			case ch <- s:
			default: // as os/signal does when the receiver lags
				log.warnf("got %v while %d signals wait to be handled, dropping it", sig, len(ch))
			}
		},
	})
	if err != nil {
		return nil, err
	}
	fs := r.Features()
	log.infof("%v", &fs)
	return r, nil
}

// orphanReporter says what to do with each orphan reaped: warn (-w), log
// it (-vv), or nothing at all, which spares the reaper a call per orphan
// in a storm.
func orphanReporter(o *options, log *logger) func(int, reaper.Exit) {
	switch {
	case o.warnReap:
		return func(pid int, e reaper.Exit) { log.warnf("reaped zombie process %d (%v)", pid, e) }
	case log.out.Enabled(output.LevelDebug):
		return func(pid int, e reaper.Exit) { log.debugf("reaped orphan %d (%v)", pid, e) }
	}
	return nil
}

// ownsTerminal reports whether fd is a terminal whose foreground process
// group is tinit's: only then does tinit hand it to the child (a job in
// the background must not steal the terminal).
func ownsTerminal(fd int) bool {
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
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

// syscallSignals converts the supervisor's signal numbers.
func syscallSignals(sigs []services.Signal) []syscall.Signal {
	out := make([]syscall.Signal, len(sigs))
	for i, s := range sigs {
		out[i] = syscall.Signal(s)
	}
	return out
}

// lookupEnvFrom looks names up in an environment list, as os.LookupEnv
// does: set says whether the name is there at all, even empty; the first
// entry wins, as in the C library's getenv.
func lookupEnvFrom(env []string) func(string) (v string, set bool) {
	return func(name string) (string, bool) {
		for _, kv := range env {
			if k, v, ok := strings.Cut(kv, "="); ok && k == name {
				return v, true
			}
		}
		return "", false
	}
}
