package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// request sends a request through the channel, as the control socket
// will, and returns the reply.
func (h *harness) request(op Op, service string) Reply {
	h.t.Helper()
	reply := make(chan Reply, 1)
	h.s.Requests() <- Request{Op: op, Service: service, Reply: reply}
	rep := <-reply
	synctest.Wait()
	return rep
}

func TestControlRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.db]
command = ["/t/db"]
[service.web]
command = ["/t/web"]
requires = ["db"]
output_ring_lines = 3
[service.job]
type = "oneshot"
command = ["/t/job"]
`)
		fs := newFakeSpawner()
		fs.behave["/t/web"] = func(p *fakeProc) { p.write("a\nb\nc\nd\n") }
		fs.behave["/t/job"] = exitsAfter(time.Second, ExitStatus{})
		h := newHarness(t, cfg, fs).start()
		time.Sleep(time.Minute)

		st := h.request(OpStatus, "").Services
		if len(st) != 3 || st[1].Name != "job" || st[1].State != StateExited || st[1].LastExit == nil || st[2].Pid != fs.last(t, "web").pid {
			t.Errorf("status %+v", st)
		}
		if got := h.request(OpLogs, "web").Lines; !slices.Equal(got, []string{"b", "c", "d"}) {
			t.Errorf("logs %q, want the last three lines", got)
		}

		// stop db: web, which requires it, stops first.
		if rep := h.request(OpStop, "db"); rep.Err != nil {
			t.Fatal(rep.Err)
		}
		if got := h.states(); got != "db=stopped job=exited web=stopped" {
			t.Errorf("after stop db: %s", got)
		}
		before(t, h, "web: stopping -> stopped", "db: ready -> stopping")

		// start web: db, which it requires, starts first.
		h.request(OpStart, "web")
		if got := h.states(); got != "db=ready job=exited web=ready" {
			t.Errorf("after start web: %s", got)
		}
		if n := len(fs.started("db", RoleService)); n != 2 {
			t.Errorf("db ran %d times, want 2", n)
		}

		// restart db: at once, no delay; web keeps running.
		web := fs.last(t, "web")
		h.request(OpRestart, "db")
		if n := len(fs.started("db", RoleService)); n != 3 || h.state("db") != StateReady || web.ended() {
			t.Errorf("after restart db: %d runs, %s, web ended %v", n, h.states(), web.ended())
		}

		// start the oneshot again: it runs again.
		h.request(OpStart, "job")
		if n := len(fs.started("job", RoleService)); n != 2 {
			t.Errorf("job ran %d times, want 2", n)
		}

		if rep := h.request(OpStart, "nope"); rep.Err == nil || !strings.Contains(rep.Err.Error(), `no service "nope"`) {
			t.Errorf("start nope: %v", rep.Err)
		}
		h.request(OpShutdown, "")
		res := h.wait()
		if res.Reason != ShutdownRequest {
			t.Errorf("reason %v", res.Reason)
		}
		if _, err := h.s.Control(context.Background(), OpStatus, ""); !errors.Is(err, ErrNotRunning) {
			t.Errorf("after the end: %v, want ErrNotRunning", err)
		}
	})
}

func TestControlDuringShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.slow]
command = ["/t/slow"]
stop_timeout = "10s"
`)
		fs := newFakeSpawner()
		fs.behave["/t/slow"] = ignores(SIGTERM)
		h := newHarness(t, cfg, fs).start()
		h.sigs <- SIGTERM
		synctest.Wait()
		for _, op := range []Op{OpStart, OpRestart} {
			if rep := h.request(op, "slow"); !errors.Is(rep.Err, ErrShuttingDown) {
				t.Errorf("%v during shutdown: %v, want ErrShuttingDown", op, rep.Err)
			}
		}
		if got := h.request(OpStatus, "").Services[0]; got.State != StateStopping || !strings.Contains(got.Why, "shutdown") {
			t.Errorf("status %+v", got)
		}
		h.wait()
	})
}

// TestRestartMain: restarting the main service does not end the run;
// stopping it does.
func TestRestartMain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.m]
command = ["/t/m"]
main = true
`)
		fs := newFakeSpawner()
		h := newHarness(t, cfg, fs).start()
		h.request(OpRestart, "m")
		if n := len(fs.started("m", RoleService)); n != 2 || h.state("m") != StateReady {
			t.Fatalf("after restart: %d runs, %s", n, h.states())
		}
		h.request(OpStop, "m")
		if res := h.wait(); res.Reason != ShutdownMain || res.Code != 128+int(SIGTERM) {
			t.Errorf("got %d (%v)", res.Code, res.Reason)
		}
	})
}

func TestIllegalTransitions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.a]
command = ["/t/a"]
`)
		h := newHarness(t, cfg, newFakeSpawner())
		u := h.s.named["a"]
		for _, tt := range []struct{ from, to State }{
			{StateInactive, StateReady},
			{StateInactive, StateStopping},
			{StateWaiting, StateReady},
			{StateReady, StateStarting},
			{StateStopped, StateReady},
			{StateExited, StateFailed},
			{StateBackoff, StateReady},
			{StatePostStop, StatePostStop},
		} {
			u.state = tt.from
			err := h.s.transition(u, tt.to, "test")
			if !errors.Is(err, errIllegalMove) || u.state != tt.from {
				t.Errorf("%v -> %v: got %v, state %v; want refused", tt.from, tt.to, err, u.state)
			}
		}
		if !h.log.has("a", "bug: illegal state change from inactive to ready") {
			t.Errorf("log:\n%s", h.log.dump())
		}
	})
}

// TestTransitionTable checks that every state can be reached and left,
// and that the settled states are only left for Waiting.
func TestTransitionTable(t *testing.T) {
	reached := map[State]bool{StateInactive: true}
	for from := State(0); from < numStates; from++ {
		if transitions[from] == 0 {
			t.Errorf("%v has no way out", from)
		}
		for to := State(0); to < numStates; to++ {
			if checkMove(from, to) == nil {
				reached[to] = true
				if from.Settled() && to != StateWaiting {
					t.Errorf("%v -> %v: a settled service only starts again", from, to)
				}
			}
		}
	}
	for st := State(0); st < numStates; st++ {
		if !reached[st] {
			t.Errorf("%v cannot be reached", st)
		}
		if st.String() == fmt.Sprint(int(st)) {
			t.Errorf("state %d has no name", st)
		}
	}
}

// TestManyServices starts 500 services, with dependency chains, and
// stops them: each starts after its dependencies are ready, and stops
// before them.
func TestManyServices(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b strings.Builder
		const n = 500
		for i := range n {
			fmt.Fprintf(&b, "[service.s%03d]\ncommand = [\"/t/sleep\"]\n", i)
			if i%10 != 0 { // chains of ten: s001 after s000 ...
				fmt.Fprintf(&b, "requires = [\"s%03d\"]\n", i-1)
			}
			if i%50 == 49 {
				fmt.Fprintf(&b, "type = \"notify\"\n")
			}
		}
		cfg := parseConfig(t, b.String())
		fs := newFakeSpawner()
		h := newHarness(t, cfg, fs).start()
		for i := 49; i < n; i += 50 {
			time.Sleep(time.Second)
			h.notify(fs.last(t, fmt.Sprintf("s%03d", i)).pid, "READY=1")
		}
		if got := len(fs.running()); got != n {
			t.Fatalf("%d running, want %d", got, n)
		}
		for i := range n {
			if i%10 != 0 {
				a, b := fs.last(t, fmt.Sprintf("s%03d", i-1)), fs.last(t, fmt.Sprintf("s%03d", i))
				if b.pid < a.pid {
					t.Fatalf("s%03d started before s%03d", i, i-1)
				}
			}
		}
		h.sigs <- SIGTERM
		h.wait()
		for i := range n {
			if i%10 != 0 {
				a, b := fs.last(t, fmt.Sprintf("s%03d", i-1)), fs.last(t, fmt.Sprintf("s%03d", i))
				before(t, h, fmt.Sprintf("s%03d: stopping -> stopped", i), fmt.Sprintf("s%03d: ready -> stopping", i-1))
				if a.endedAt.Before(b.endedAt) {
					t.Fatalf("s%03d stopped before s%03d", i-1, i)
				}
			}
		}
		if got := len(fs.running()); got != 0 {
			t.Errorf("%d left running", got)
		}
	})
}

// TestStartRequestedWaitsForRequired: `start web` starts db, which web
// requires, first, and web only once db is ready; so does `restart web`
// when web is stopped.
func TestStartRequestedWaitsForRequired(t *testing.T) {
	for _, op := range []Op{OpStart, OpRestart} {
		t.Run(op.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := parseConfig(t, `
[service.db]
type = "notify"
command = ["/t/db"]
[service.web]
command = ["/t/web"]
requires = ["db"]
`)
				fs := newFakeSpawner()
				h := newHarness(t, cfg, fs).start()
				h.notify(fs.last(t, "db").pid, "READY=1")
				h.request(OpStop, "db")
				if got := h.states(); got != "db=stopped web=stopped" {
					t.Fatalf("after stop db: %s", got)
				}
				h.request(op, "web")
				if got := h.states(); got != "db=starting web=waiting" {
					t.Errorf("after %v web: %s, want db=starting web=waiting", op, got)
				}
				h.notify(fs.last(t, "db").pid, "READY=1")
				if got := h.states(); got != "db=ready web=ready" {
					t.Errorf("once db is ready: %s", got)
				}
				h.request(OpShutdown, "")
				h.wait()
			})
		})
	}
}

// TestStopOfAfterDependencyWakesWaiter: a service waiting for one it
// starts after (after, wants) goes on when that one is stopped by
// request: a dependency that is settled and not wanted holds nobody up.
func TestStopOfAfterDependencyWakesWaiter(t *testing.T) {
	for _, key := range []string{"after", "wants"} {
		t.Run(key, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := parseConfig(t, `
[service.db]
type = "notify"
command = ["/t/db"]
[service.web]
command = ["/t/web"]
`+key+` = ["db"]
`)
				fs := newFakeSpawner()
				h := newHarness(t, cfg, fs).start()
				if got := h.states(); got != "db=starting web=waiting" {
					t.Fatalf("at start: %s", got)
				}
				h.request(OpStop, "db")
				if got := h.states(); got != "db=stopped web=ready" {
					t.Errorf("after stop db: %s, want web started", got)
				}
				h.request(OpShutdown, "")
				h.wait()
			})
		})
	}
}
