package services

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/tinit/tinit/services/cgroup"
	"github.com/tinit/tinit/services/output"
)

// Logger takes tinit's own messages, each at a level and, when it is about
// one service, with that service's name. *output.Log is tinit's.
type Logger interface {
	Enabled(level output.Level) bool
	Log(level output.Level, service, msg string)
}

// Options wire a Supervisor to the world. Only Spawner is required.
type Options struct {
	// Spawner starts every process: services, hooks and probes.
	Spawner Spawner
	// Stragglers stops what is left below tinit at the end; nil skips
	// that step.
	Stragglers Stragglers
	// Log receives tinit's own messages; nil discards them.
	Log Logger
	// Environ is tinit's environment, the base of every service's.
	Environ []string
	// Stdout and Stderr are the console that services' output goes to
	// (output = "console"); nil: os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer
	// Signals brings the signals tinit receives, as os/signal delivers
	// them (or as Signal values, or Forwarded when tinit's handler has
	// passed one on already); SignalAction says what each does (nil:
	// ServicesSignals).
	Signals      <-chan os.Signal
	SignalAction func(Signal) SignalAction
	// NotifySocket is the address of the sd_notify socket for "notify"
	// services; "" picks a unique abstract address.
	NotifySocket string
	// Cgroups, when set, gives each service a cgroup of its own under it;
	// CgroupErr says why there is none, for services with limits.
	Cgroups   *cgroup.Manager
	CgroupErr error
	// Stdio gives the named services these files instead of /dev/null
	// and the output pipes: no prefix, no ring (single-command mode).
	Stdio map[string]Stdio
	// ExitAtOnce skips the stop of the stragglers at the end.
	ExitAtOnce bool
	// LeftoversToStragglers leaves what a service's process leaves behind
	// (in its process group or cgroup) when it ends to the stragglers
	// step, instead of killing it then: single-command mode gives the
	// rest SIGTERM and a grace period, as tini's users expect.
	LeftoversToStragglers bool
	// PasswdFile and GroupFile are where users and groups are looked up;
	// "": /etc/passwd and /etc/group.
	PasswdFile, GroupFile string
}

// Stdio are files a service gets as they are, instead of pipes.
type Stdio struct {
	Stdin, Stdout, Stderr *os.File
	ExtraFiles            []*os.File
}

// Result is how a run ended.
type Result struct {
	Code    int            // tinit's exit code, per the exit policy
	Reason  ShutdownReason // why the run ended
	Outcome Outcome        // what the exit policy was given
}

// Supervisor runs the services of one configuration: one goroutine (Run's)
// owns every service's state; everything else reaches it as an event.
type Supervisor struct {
	cfg   *Config
	opt   Options
	log   Logger
	units []*unit
	named map[string]*unit
	byPid map[int]*unit

	events   chan event
	requests chan Request
	done     chan struct{} // closed when Run returns: no one waits for events
	runCtx   context.Context
	cancel   context.CancelFunc

	devNull    *os.File
	console    output.Sink
	notifyAddr string
	closers    []io.Closer

	settled   int            // units in a settled state
	shutting  ShutdownReason // ShutdownNone until the shutdown begins
	deadline  time.Time      // of the shutdown
	killedAll bool           // the shutdown deadline passed: everything got SIGKILL
	outcome   Outcome
	started   time.Time
	allReady  bool

	drains sync.WaitGroup // output still being drained

	// Replaced by the tests.
	tcpProbe  func(ctx context.Context, addr string) error
	httpProbe func(ctx context.Context, url string, ok func(int) bool) error
	sender    func(pid int32) senderInfo
	listen    func(addr string) (notifyServer, error)
}

// Time bounds of the end of a run.
const (
	drainTimeout = 2 * time.Second // for a service's output after it ended
	killWait     = 5 * time.Second // for processes to die after SIGKILL
)

// New prepares a supervisor for cfg; nothing starts before Run.
func New(cfg *Config, opt Options) (*Supervisor, error) {
	if opt.Spawner == nil {
		return nil, errors.New("new supervisor: no spawner")
	}
	if cfg.Graph == nil || len(cfg.Services) == 0 {
		return nil, errors.New("new supervisor: no services")
	}
	s := &Supervisor{
		cfg: cfg, opt: opt, log: opt.Log,
		named: make(map[string]*unit, len(cfg.Services)), byPid: map[int]*unit{},
		events: make(chan event, 64), requests: make(chan Request), done: make(chan struct{}),
		tcpProbe: probeTCP, httpProbe: probeHTTP, sender: readSender, listen: listenNotify,
	}
	s.console = newConsole(cfg, opt)
	for _, svc := range cfg.Services {
		u := newUnit(svc)
		s.units = append(s.units, u)
		s.named[svc.Name] = u
	}
	s.settled = len(s.units)
	return s, nil
}

// Run starts every service and supervises them until the run ends, then
// stops them in order and returns tinit's exit code. It returns an error
// only when it cannot begin (the notification socket or /dev/null, when
// a process needs it, cannot be opened); then nothing was started. ctx
// ending is a shutdown request.
func (s *Supervisor) Run(ctx context.Context) (Result, error) {
	defer close(s.done)
	s.runCtx, s.cancel = context.WithCancel(context.Background())
	defer s.cancel()
	if err := s.setUp(); err != nil {
		s.closeAll()
		return Result{}, err
	}
	s.started = time.Now()
	s.startAll()
	s.loop(ctx)
	s.stopStragglers()
	s.finish()
	code := s.cfg.Tinit.ExitCode.ExitCode(s.outcome)
	s.logf(output.LevelInfo, nil, "exiting with code %d (%v, exit policy %q)", code, s.shutting, s.cfg.Tinit.ExitCode)
	return Result{Code: code, Reason: s.shutting, Outcome: s.outcome}, nil
}

// setUp opens what the run needs before anything starts.
func (s *Supervisor) setUp() error {
	if s.needsDevNull() {
		var err error
		if s.devNull, err = os.OpenFile(os.DevNull, os.O_RDWR, 0); err != nil {
			return fmt.Errorf("open %s: %w", os.DevNull, err)
		}
		s.closers = append(s.closers, s.devNull)
	}
	return s.startNotify()
}

// needsDevNull says whether a process of the run gets /dev/null: the
// processes of a service whose stdio is not handed on (Options.Stdio) as
// stdin, a probe command as all three. tinit -- CMD needs none, and runs
// in a root without /dev, as tini does.
func (s *Supervisor) needsDevNull() bool {
	for _, svc := range s.cfg.Services {
		_, handed := s.opt.Stdio[svc.Name]
		if !handed || svc.Ready.Kind == ReadyCommand || svc.Health != nil && svc.Health.Kind == HealthCommand {
			return true
		}
	}
	return false
}

// loop is the supervisor: it handles one event at a time until every
// service has settled after a shutdown.
func (s *Supervisor) loop(ctx context.Context) {
	ctxDone := ctx.Done()
	for !s.over() {
		select {
		case e := <-s.events:
			s.takeSignals()
			e.apply(s)
		case sig := <-s.opt.Signals:
			s.onSignal(signalOf(sig))
		case r := <-s.requests:
			s.onRequest(r)
		case <-ctxDone:
			ctxDone = nil
			s.shutdown(ShutdownRequest)
		}
	}
}

// takeSignals acts on the signals already received, before an event:
// tinit reports a signal before the process end it caused (see
// reaper.Options.OnSignal), and it is handled in that order too.
func (s *Supervisor) takeSignals() {
	for {
		select {
		case sig := <-s.opt.Signals:
			s.onSignal(signalOf(sig))
		default:
			return
		}
	}
}

// over reports whether the run has ended: shutting down, and no service
// has anything left running or pending. When every service has ended by
// itself, the run ends; not when a control request stopped one: tinit
// then waits for the next request.
func (s *Supervisor) over() bool {
	if s.settled < len(s.units) {
		return false
	}
	if s.shutting == ShutdownNone {
		for _, u := range s.units {
			if u.state == StateStopped && u.downReason == StopRequest {
				return false
			}
		}
		s.shutdown(ShutdownAllDone)
	}
	return true
}

// finish releases what the run held once every service is down: it waits
// (bounded) for the last output, and removes the services' cgroups.
func (s *Supervisor) finish() {
	s.cancel()
	drained := make(chan struct{})
	go func() { s.drains.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(drainTimeout + time.Second):
		s.logf(output.LevelWarn, nil, "output still not drained, giving up")
	}
	for _, u := range s.units {
		u.release(s)
	}
	s.closeAll()
}

func (s *Supervisor) closeAll() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i].Close()
	}
	s.closers = nil
}

// post hands an event to the loop; after Run, it is dropped.
func (s *Supervisor) post(e event) {
	select {
	case s.events <- e:
	case <-s.done:
	}
}

// after posts e once d has passed.
func (s *Supervisor) after(d time.Duration, e event) *time.Timer {
	return time.AfterFunc(d, func() { s.post(e) })
}

// goSafe runs f in a goroutine whose panic becomes an event of the loop
// (for the run gen of u, when u is set) instead of crashing tinit.
func (s *Supervisor) goSafe(u *unit, gen uint64, what string, f func()) {
	go func() {
		defer func() {
			if v := recover(); v != nil {
				s.post(evPanic{u: u, gen: gen, what: what, value: v})
			}
		}()
		f()
	}()
}

// logf writes one of tinit's messages, about service u when it is set.
func (s *Supervisor) logf(level output.Level, u *unit, format string, args ...any) {
	if s.log == nil || !s.log.Enabled(level) {
		return
	}
	service := ""
	if u != nil {
		service = u.svc.Name
	}
	s.log.Log(level, service, fmt.Sprintf(format, args...))
}
