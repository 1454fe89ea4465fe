package services

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tinit/tinit/services/output"
)

// startAll asks every service to start: each starts as soon as its
// dependencies allow, so the services of one wave start together. A
// service that cannot start at all may end the run on the way (a main
// one, a critical one): those not asked yet are then left as they are.
func (s *Supervisor) startAll() {
	s.logf(output.LevelInfo, nil, "starting %s", output.Count(len(s.units), "service"))
	for _, u := range s.units {
		if s.shutting != ShutdownNone {
			return
		}
		u.up = true
		s.want(u, "start")
	}
}

// want moves u to Waiting and starts it if its dependencies allow; not
// during a shutdown, which nothing waiting would survive.
func (s *Supervisor) want(u *unit, why string) {
	if s.shutting != ShutdownNone {
		return
	}
	if u.state != StateWaiting && s.transition(u, StateWaiting, why) != nil {
		return
	}
	s.tryStart(u)
}

// depState is where a service's dependencies stand.
type depState int

const (
	depsPending depState = iota // one of them is not ready yet
	depsReady                   // each is ready, or failed and not required
	depsFailed                  // a required one failed for good
)

// deps says whether u may start: every service it starts after must be
// ready (a oneshot: exited with success), failed for good, or not
// wanted at all.
func (s *Supervisor) deps(u *unit) (depState, string) {
	for _, name := range s.cfg.Graph.Requires(u.svc.Name) {
		if d := s.named[name]; d.state == StateFailed {
			return depsFailed, name
		}
	}
	for _, name := range s.cfg.Graph.After(u.svc.Name) {
		d := s.named[name]
		switch {
		case d.state == StateReady || d.state == StateExited || d.state == StateFailed:
		case !d.up && d.state.Settled():
		default:
			return depsPending, name
		}
	}
	return depsReady, ""
}

// tryStart starts a waiting service whose dependencies allow it, fails
// it if one it requires failed, or leaves it waiting.
func (s *Supervisor) tryStart(u *unit) {
	if u.state != StateWaiting || s.shutting != ShutdownNone {
		return
	}
	st, name := s.deps(u)
	switch st {
	case depsPending:
		s.logf(output.LevelDebug, u, "waiting for %q", name)
		return
	case depsFailed:
		u.up = false
		s.failForDependency(u, name)
		return
	}
	s.logFailedDeps(u)
	u.starts = append(u.starts, time.Now())
	if u.svc.PreStart != nil {
		s.startHook(u, RolePreStart, u.svc.PreStart)
		return
	}
	s.spawn(u)
}

// logFailedDeps says which failed services u starts without.
func (s *Supervisor) logFailedDeps(u *unit) {
	for _, name := range s.cfg.Graph.After(u.svc.Name) {
		if s.named[name].state == StateFailed {
			s.logf(output.LevelWarn, u, "starting although %q failed (wants or after, not requires)", name)
		}
	}
}

// wakeDependents tries to start the services waiting for u.
func (s *Supervisor) wakeDependents(u *unit) {
	for _, name := range s.cfg.Graph.Dependents(u.svc.Name) {
		s.tryStart(s.named[name])
	}
}

// failRequirers stops, for good, the services that require u, which has
// failed for good; those waiting for it fail in tryStart.
func (s *Supervisor) failRequirers(u *unit) {
	for _, name := range s.cfg.Graph.RequiredBy(u.svc.Name) {
		d := s.named[name]
		if d.state == StateWaiting || d.state.Settled() {
			continue
		}
		d.up, d.downReason, d.depFailed = false, StopDependency, u.svc.Name
		s.logf(output.LevelWarn, d, "stopping: it requires %q, which failed", u.svc.Name)
		s.stop(d, StopDependency)
	}
}

// launch is what a service's processes run with, resolved at its start.
type launch struct {
	env []string
	id  identity
	dir string
}

// prepare resolves the service's identity and environment.
func (s *Supervisor) prepare(u *unit) (launch, error) {
	svc := u.svc
	var id identity
	if svc.User != nil || svc.Group != nil || svc.Groups != nil {
		a := loadAccounts(or(s.opt.PasswdFile, passwdFile), or(s.opt.GroupFile, groupFile))
		var err error
		if id, err = resolveIdentity(svc, a, uint32(os.Getuid())); err != nil {
			return launch{}, err
		}
	}
	return launch{id: id, dir: svc.WorkingDir, env: s.environ(svc, id)}, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// environ is the service's environment: tinit's (less its own
// NOTIFY_SOCKET, which is no service's, and the user's variables it
// replaces), the service's own, its user's USER, LOGNAME and HOME, and
// NOTIFY_SOCKET for a notify service. Each name appears once.
func (s *Supervisor) environ(svc *Service, id identity) []string {
	user := id.userEnv(svc.Env)
	base := make([]string, 0, len(s.opt.Environ))
	for _, kv := range s.opt.Environ {
		if !strings.HasPrefix(kv, "NOTIFY_SOCKET=") && !hasVar(user, varName(kv)) {
			base = append(base, kv)
		}
	}
	env := svc.Environ(base)
	env = append(env, user...)
	if svc.Type == TypeNotify && s.notifyAddr != "" {
		env = append(env, "NOTIFY_SOCKET="+s.notifyAddr)
	}
	return env
}

// spec is the ProcSpec of a process of u's, for role, running argv.
func (l launch) spec(u *unit, role ProcRole, path string, argv []string) ProcSpec {
	svc := u.svc
	return ProcSpec{
		Service: svc.Name, Role: role, Path: path, Args: argv,
		Env: l.env, Dir: l.dir, Setsid: true,
		Credential: l.id.cred, Umask: svc.Umask, Rlimits: svc.Rlimits, NoNewPrivs: svc.NoNewPrivs,
		Autokill: role != RoleService || svc.Autokill,
	}
}

// spawn starts u's process. Whatever fails becomes a failed start, which
// the restart policy handles like any failed run.
func (s *Supervisor) spawn(u *unit) {
	p, l, files, err := s.startProc(u, RoleService, u.svc.Command)
	if err != nil {
		s.startFailed(u, err)
		return
	}
	s.started1(u, p, l, files)
}

// startProc starts a process of u's for role (the service's own, or a
// hook) running argv, with u's identity, environment and files. On error
// nothing of it is left open.
func (s *Supervisor) startProc(u *unit, role ProcRole, argv []string) (Proc, launch, *runFiles, error) {
	l, err := s.prepare(u)
	var path string
	if err == nil {
		path, err = lookPath(argv[0], getenv(l.env, "PATH"))
	}
	if err != nil {
		return nil, l, nil, err
	}
	spec := l.spec(u, role, path, argv)
	files, err := s.procFiles(u, &spec)
	if err != nil {
		return nil, l, nil, err
	}
	p, err := s.opt.Spawner.Start(spec)
	files.parentDone()
	if err != nil {
		files.abort(s)
		return nil, l, nil, err
	}
	return p, l, files, nil
}

// started1 records a process that started and watches it.
func (s *Supervisor) started1(u *unit, p Proc, l launch, files *runFiles) {
	u.gen++
	ctx, cancel := context.WithCancel(s.runCtx)
	r := &run{gen: u.gen, proc: p, pid: p.Pid(), started: time.Now(), ctx: ctx, cancel: cancel, fws: files.fws, launch: l}
	u.run = r
	s.byPid[r.pid] = u
	s.goSafe(u, r.gen, "the wait for pid "+fmt.Sprint(r.pid), func() {
		select {
		case <-p.Done():
			s.post(evExit{u: u, gen: r.gen, status: p.Exit()})
		case <-s.done: // Run returned, the process abandoned
		}
	})
	s.transition(u, StateStarting, fmt.Sprintf("started, pid %d", r.pid))
	s.watchReady(u, files.readyR)
}

// startFailed handles a start that failed before a process ran, as a run
// that ended at once with the status a shell would report.
func (s *Supervisor) startFailed(u *unit, err error) {
	status, why := classifyStart(u.svc.Command[0], err)
	s.logf(output.LevelError, u, "start failed: %s", why)
	s.ended(u, &ending{status: status, failed: true, why: "start failed: " + why}, false)
}
