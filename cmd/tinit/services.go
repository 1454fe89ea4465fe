package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/reaper"
	"github.com/tinit/tinit/services"
	"github.com/tinit/tinit/services/cgroup"
	"github.com/tinit/tinit/services/output"
)

// runCheck is tinit check FILE: the configuration is read and checked,
// nothing starts.
func runCheck(o *options) int {
	cfg, ok := loadConfig(o.configPath, "")
	if !ok {
		return exitUsage
	}
	fmt.Println(checkSummary(cfg))
	return 0
}

// loadConfig reads the configuration; its problems go to stderr, one per
// line as file:line: service "x": key: what is wrong, then a count.
func loadConfig(path, then string) (*services.Config, bool) {
	cfg, err := services.LoadFile(path)
	var ce *services.ConfigError
	switch {
	case errors.As(err, &ce):
		fmt.Fprintln(os.Stderr, ce.Error())
		fmt.Fprintf(os.Stderr, "tinit: %s: %s%s\n", path, output.Count(len(ce.Problems), "problem"), then)
		return nil, false
	case err != nil:
		fmt.Fprintf(os.Stderr, "tinit: %v\n", err)
		return nil, false
	}
	return cfg, true
}

// checkSummary is the one line tinit check prints for a good file.
func checkSummary(cfg *services.Config) string {
	var waves []string
	for _, w := range cfg.Graph.Waves() {
		waves = append(waves, strings.Join(w, " "))
	}
	main := ""
	if m := cfg.Main(); m != nil {
		main = fmt.Sprintf(", main %q", m.Name)
	}
	return fmt.Sprintf("%s: OK: %s in %s (%s)%s, exit code %q", cfg.File, output.Count(len(cfg.Services), "service"),
		output.Count(len(waves), "wave"), strings.Join(waves, "; "), main, cfg.Tinit.ExitCode)
}

// runServices is tinit --config FILE: it refuses a configuration with any
// problem, then becomes the init, and runs the supervisor until the end.
func runServices(o *options, log *logger, env []string) int {
	cfg, ok := loadConfig(o.configPath, ", nothing started")
	if !ok {
		return exitUsage
	}
	st := readStartState()
	return asInit(o, log, syscallSignals(services.ServicesSignalList), func(r *reaper.Reaper, sigs <-chan os.Signal) int {
		return superviseWith(cfg, o, log, r, st, env, sigs)
	})
}

// superviseWith runs the supervisor on a running reaper and returns the
// exit code.
func superviseWith(cfg *services.Config, o *options, log *logger, r *reaper.Reaper, st startState, env []string, sigs <-chan os.Signal) int {
	tlog := newLog(cfg, o)
	mgr, cgErr := setUpCgroups(cfg, o.machine)
	if cgErr != nil && tlog.Enabled(output.LevelDebug) {
		tlog.Log(output.LevelDebug, "", fmt.Sprintf("no cgroups: %v", cgErr))
	}
	res, ok := supervise(cfg, services.Options{
		Spawner:    &reaperSpawner{r: r, nofile: st.nofile},
		Stragglers: reaperStragglers{r},
		Log:        tlog,
		Environ:    env,
		Signals:    sigs,
		Cgroups:    mgr,
		CgroupErr:  cgErr,
	}, log)
	if !ok {
		return exitFailure
	}
	return res.Code
}

// supervise runs a supervisor to its end; ok is false (and the error
// logged) when it could not begin.
func supervise(cfg *services.Config, opt services.Options, log *logger) (res services.Result, ok bool) {
	sup, err := services.New(cfg, opt)
	if err == nil {
		res, err = sup.Run(context.Background())
	}
	if err != nil {
		log.errorf("%v", err)
		return res, false
	}
	return res, true
}

// setUpCgroups gives the services cgroups when they need them or when
// tinit owns its cgroup.
func setUpCgroups(cfg *services.Config, machine bool) (*cgroup.Manager, error) {
	if !services.CgroupsWanted(cfg, ownsCgroup(machine)) {
		return nil, errors.New("no service has limits, and tinit does not own its cgroup")
	}
	return cgroup.Setup(cgroup.Config{Controllers: services.CgroupControllers(cfg)})
}

// initialCgroupNS is the inode of the initial cgroup namespace
// (PROC_CGROUP_INIT_INO in include/linux/proc_ns.h).
const initialCgroupNS = 0xEFFFFFFB

// ownsCgroup says whether tinit's cgroup is its own to rearrange: it is
// PID 1 of a machine, or PID 1 of a container with a cgroup namespace of
// its own. PID 1 of a mere PID namespace shares its cgroup with the host.
func ownsCgroup(machine bool) bool {
	if os.Getpid() != 1 {
		return false
	}
	if machine {
		return true
	}
	var st unix.Stat_t
	return unix.Stat("/proc/self/ns/cgroup", &st) == nil && st.Ino != initialCgroupNS
}

// newLog makes tinit's log of services mode: [tinit] log_format and
// log_level, each -v one level more.
func newLog(cfg *services.Config, o *options) *output.Log {
	format := output.Text
	if cfg.Tinit.LogFormat == services.LogJSON {
		format = output.JSON
	}
	return output.NewLog(os.Stderr, format, output.LogOptions{Level: louder(cfg.Tinit.LogLevel, o.verbosity)})
}

// reaperSpawner starts the supervisor's processes with the reaper.
type reaperSpawner struct {
	r      *reaper.Reaper
	nofile *unix.Rlimit // RLIMIT_NOFILE tinit was given, for services that set none
}

func (s *reaperSpawner) Start(ps services.ProcSpec) (services.Proc, error) {
	p, err := s.r.Start(s.spec(ps))
	if err != nil {
		return nil, err
	}
	return reaperProc{p}, nil
}

func (s *reaperSpawner) spec(ps services.ProcSpec) *reaper.Spec {
	spec := &reaper.Spec{
		Path: ps.Path, Args: ps.Args, Env: ps.Env, Dir: ps.Dir,
		Stdin: ps.Stdin, Stdout: ps.Stdout, Stderr: ps.Stderr, ExtraFiles: ps.ExtraFiles,
		Setsid: ps.Setsid, NoNewPrivs: ps.NoNewPrivs, Autokill: ps.Autokill, Cgroup: ps.Cgroup,
	}
	if c := ps.Credential; c != nil {
		spec.Credential = &reaper.Credential{UID: c.UID, GID: c.GID, Groups: c.Groups, NoSetGroups: c.KeepGroups}
	}
	if ps.Umask != nil {
		m := uint32(*ps.Umask)
		spec.Umask = &m
	}
	ownNofile := false
	for _, rl := range ps.Rlimits {
		ownNofile = ownNofile || rl.Resource == unix.RLIMIT_NOFILE
		spec.Rlimits = append(spec.Rlimits, reaper.Rlimit{Resource: int(rl.Resource), Cur: rl.Soft, Max: rl.Hard})
	}
	if !ownNofile && s.nofile != nil {
		spec.Rlimits = append(spec.Rlimits, reaper.Rlimit{Resource: unix.RLIMIT_NOFILE, Cur: s.nofile.Cur, Max: s.nofile.Max})
	}
	return spec
}

// reaperProc is a reaper.Process as the supervisor sees it.
type reaperProc struct{ p *reaper.Process }

func (p reaperProc) Pid() int              { return p.p.Pid() }
func (p reaperProc) Done() <-chan struct{} { return p.p.Done() }
func (p reaperProc) Close() error          { return p.p.Close() }

func (p reaperProc) Exit() services.ExitStatus {
	e := p.p.Exit()
	return services.ExitStatus{Code: e.Status, Signal: services.Signal(e.Signal)}
}

func (p reaperProc) Signal(sig services.Signal) error { return p.p.Signal(syscall.Signal(sig)) }

// SignalGroup signals the process group the process leads; once the
// leader has ended, its members left behind.
func (p reaperProc) SignalGroup(sig services.Signal) error {
	err := p.p.SignalGroup(syscall.Signal(sig))
	if errors.Is(err, reaper.ErrProcessDone) {
		return reaper.SignalGroupMembers(p.p.Pid(), syscall.Signal(sig))
	}
	return err
}

// reaperStragglers stops what is left below tinit with the reaper.
type reaperStragglers struct{ r *reaper.Reaper }

func (s reaperStragglers) StopDescendants(ctx context.Context, sig services.Signal) (int, error) {
	return s.r.StopDescendants(ctx, syscall.Signal(sig))
}
