package services

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tinit/tinit/services/notify"
	"github.com/tinit/tinit/services/output"
)

// fakeSpawner starts fake processes. What each does is up to its
// behaviour, looked up by program path; without one it runs until it
// gets a signal that kills it (any but those it ignores).
type fakeSpawner struct {
	mu       sync.Mutex
	nextPid  int
	procs    []*fakeProc
	behave   map[string]func(*fakeProc)
	failWith map[string]error // Start fails for these paths
	starts   chan *fakeProc   // each start, if set
}

func newFakeSpawner() *fakeSpawner {
	return &fakeSpawner{nextPid: 100, behave: map[string]func(*fakeProc){}, failWith: map[string]error{}}
}

func (f *fakeSpawner) Start(spec ProcSpec) (Proc, error) {
	f.mu.Lock()
	if err, ok := f.failWith[spec.Path]; ok {
		f.mu.Unlock()
		return nil, err
	}
	f.nextPid++
	p := &fakeProc{spec: spec, pid: f.nextPid, done: make(chan struct{}), started: time.Now()}
	f.procs = append(f.procs, p)
	b := f.behave[spec.Path]
	f.mu.Unlock()
	if b != nil {
		b(p)
	}
	if f.starts != nil {
		f.starts <- p
	}
	return p, nil
}

// started returns the processes started for service (role service), in order.
func (f *fakeSpawner) started(service string, role ProcRole) []*fakeProc {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*fakeProc
	for _, p := range f.procs {
		if p.spec.Service == service && p.spec.Role == role {
			out = append(out, p)
		}
	}
	return out
}

// last returns the last process of service.
func (f *fakeSpawner) last(t *testing.T, service string) *fakeProc {
	t.Helper()
	ps := f.started(service, RoleService)
	if len(ps) == 0 {
		t.Fatalf("%s was never started", service)
	}
	return ps[len(ps)-1]
}

// running returns the service processes that have not ended.
func (f *fakeSpawner) running() []*fakeProc {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*fakeProc
	for _, p := range f.procs {
		if !p.ended() {
			out = append(out, p)
		}
	}
	return out
}

type fakeProc struct {
	spec    ProcSpec
	pid     int
	started time.Time
	done    chan struct{}
	once    sync.Once
	exit    ExitStatus
	endedAt time.Time

	mu      sync.Mutex
	signals []string // "TERM", "group KILL" ...
	ignore  []Signal // signals that do not kill it
	stuck   bool     // not even SIGKILL ends it (asleep in the kernel)
	closed  bool

	panicOnExit bool // Exit panics: a bug in the code that waits for it
}

func (p *fakeProc) Pid() int              { return p.pid }
func (p *fakeProc) Done() <-chan struct{} { return p.done }
func (p *fakeProc) Exit() ExitStatus {
	<-p.done
	if p.panicOnExit {
		panic("exit bug")
	}
	return p.exit
}

func (p *fakeProc) Signal(sig Signal) error { return p.signal(sig, "") }

func (p *fakeProc) SignalGroup(sig Signal) error { return p.signal(sig, "group ") }

func (p *fakeProc) signal(sig Signal, how string) error {
	p.mu.Lock()
	p.signals = append(p.signals, how+strings.TrimPrefix(sig.String(), "SIG"))
	ignored := p.stuck || slices.Contains(p.ignore, sig) && sig != SIGKILL
	p.mu.Unlock()
	if p.ended() {
		return errors.New("process done")
	}
	if !ignored {
		p.end(ExitStatus{Signal: sig})
	}
	return nil
}

func (p *fakeProc) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	if p.spec.Autokill {
		p.end(ExitStatus{Signal: SIGKILL})
	}
	return nil
}

// end makes the process end with st, once.
func (p *fakeProc) end(st ExitStatus) {
	p.once.Do(func() {
		p.exit, p.endedAt = st, time.Now()
		close(p.done)
	})
}

// exitAfter ends the process with st after d.
func (p *fakeProc) exitAfter(d time.Duration, st ExitStatus) {
	time.AfterFunc(d, func() { p.end(st) })
}

func (p *fakeProc) ended() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *fakeProc) gotSignals() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.signals)
}

// write writes lines to the process's stdout (during Start: the pipe is
// closed after).
func (p *fakeProc) write(s string) {
	if p.spec.Stdout != nil {
		p.spec.Stdout.WriteString(s)
	}
}

// readyFD writes the readiness newline to fd n.
func (p *fakeProc) readyFD(n int) { p.spec.ExtraFiles[n-3].WriteString("\n") }

// record is one log record the supervisor wrote.
type record struct {
	at      time.Time
	level   output.Level
	service string
	msg     string
}

func (r record) String() string {
	if r.service == "" {
		return r.msg
	}
	return r.service + ": " + r.msg
}

// recorder is a Logger that keeps every record.
type recorder struct {
	mu   sync.Mutex
	recs []record
}

func (h *recorder) Enabled(output.Level) bool { return true }

func (h *recorder) Log(level output.Level, service, msg string) {
	rec := record{at: time.Now(), level: level, service: service, msg: msg}
	h.mu.Lock()
	h.recs = append(h.recs, rec)
	h.mu.Unlock()
}

func (h *recorder) all() []record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.recs)
}

// moves returns the state changes, "web: waiting -> starting", in order.
func (h *recorder) moves() []string {
	var out []string
	for _, r := range h.all() {
		if from, rest, ok := strings.Cut(r.msg, " -> "); ok && r.service != "" {
			to, _, _ := strings.Cut(rest, ":")
			out = append(out, r.service+": "+from+" -> "+to)
		}
	}
	return out
}

// has reports whether a record of service contains text.
func (h *recorder) has(service, text string) bool {
	for _, r := range h.all() {
		if r.service == service && strings.Contains(r.msg, text) {
			return true
		}
	}
	return false
}

func (h *recorder) dump() string {
	var b strings.Builder
	for _, r := range h.all() {
		fmt.Fprintf(&b, "%s %s\n", r.at.Format("15:04:05.000"), r)
	}
	return b.String()
}

// fakeNotify is a notification socket that never receives anything: the
// tests post evNotify themselves.
type fakeNotify struct{ closed chan struct{} }

func (n *fakeNotify) Addr() string { return "@fake" }
func (n *fakeNotify) Serve(func(notify.Message), func(error)) error {
	<-n.closed
	return nil
}
func (n *fakeNotify) Close() error { close(n.closed); return nil }

// harness runs a supervisor with a fake spawner inside a synctest bubble.
type harness struct {
	t       *testing.T
	s       *Supervisor
	fs      *fakeSpawner
	log     *recorder
	stdout  *syncBuffer
	sigs    chan os.Signal
	result  Result
	err     error
	done    chan struct{}
	healthy map[string]bool // addresses the fake TCP and HTTP probes reach
	hmu     sync.Mutex
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// parseConfig parses a configuration written for a test.
func parseConfig(t *testing.T, text string) *Config {
	t.Helper()
	cfg, err := Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatalf("parse:\n%v", err)
	}
	return cfg
}

// newHarness prepares a supervisor for cfg; call start to run it.
func newHarness(t *testing.T, cfg *Config, fs *fakeSpawner) *harness {
	t.Helper()
	h := &harness{t: t, fs: fs, log: &recorder{}, stdout: &syncBuffer{}, sigs: make(chan os.Signal, 4),
		done: make(chan struct{}), healthy: map[string]bool{}}
	s, err := New(cfg, Options{Spawner: fs, Log: h.log, Stdout: h.stdout, Stderr: h.stdout,
		Signals: h.sigs, Environ: []string{"PATH=/t", "HOME=/root"}})
	if err != nil {
		t.Fatal(err)
	}
	s.listen = func(string) (notifyServer, error) { return &fakeNotify{closed: make(chan struct{})}, nil }
	s.tcpProbe = func(ctx context.Context, addr string) error { return h.probe(addr) }
	s.httpProbe = func(ctx context.Context, url string, ok func(int) bool) error { return h.probe(url) }
	s.sender = func(pid int32) senderInfo { return senderInfo{chain: []int32{pid}} }
	h.s = s
	return h
}

func (h *harness) probe(addr string) error {
	h.hmu.Lock()
	defer h.hmu.Unlock()
	if h.healthy[addr] {
		return nil
	}
	return fmt.Errorf("connect %s: connection refused", addr)
}

func (h *harness) setHealthy(addr string, ok bool) {
	h.hmu.Lock()
	h.healthy[addr] = ok
	h.hmu.Unlock()
}

func (h *harness) start() *harness {
	go func() {
		defer close(h.done)
		h.result, h.err = h.s.Run(context.Background())
	}()
	synctest.Wait()
	return h
}

// wait waits, in the bubble's time, for Run to return.
func (h *harness) wait() Result {
	h.t.Helper()
	select {
	case <-h.done:
	case <-time.After(time.Hour):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		h.t.Fatalf("Run did not return within an hour of fake time; log:\n%s\n%s", h.log.dump(), buf)
	}
	if h.err != nil {
		h.t.Fatal(h.err)
	}
	return h.result
}

// state returns the state of service name, through a status request.
func (h *harness) state(name string) State {
	h.t.Helper()
	for _, st := range h.status() {
		if st.Name == name {
			return st.State
		}
	}
	h.t.Fatalf("no service %q", name)
	return 0
}

func (h *harness) status() []ServiceStatus {
	h.t.Helper()
	rep, err := h.s.Control(context.Background(), OpStatus, "")
	if err != nil {
		h.t.Fatalf("status: %v", err)
	}
	return rep.Services
}

// states returns "name=state" for every service.
func (h *harness) states() string {
	var parts []string
	for _, st := range h.status() {
		parts = append(parts, st.Name+"="+st.State.String())
	}
	return strings.Join(parts, " ")
}

// notify posts a notification as if pid had sent it.
func (h *harness) notify(pid int, text string) {
	m, err := notify.Parse([]byte(text))
	if err != nil {
		h.t.Fatal(err)
	}
	m.PID = int32(pid)
	h.s.post(evNotify{msg: m, from: h.s.sender(m.PID)})
	synctest.Wait()
}

// exitsAfter is a behaviour: exit with st after d.
func exitsAfter(d time.Duration, st ExitStatus) func(*fakeProc) {
	return func(p *fakeProc) { p.exitAfter(d, st) }
}

// stuck is a behaviour: no signal ends it, as a process asleep in the
// kernel (state D) ignores even SIGKILL.
func stuck(p *fakeProc) { p.stuck = true }

// ignores is a behaviour: the signals do not kill it.
func ignores(sigs ...Signal) func(*fakeProc) {
	return func(p *fakeProc) { p.ignore = sigs }
}
