package services

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestStopTimeoutKills(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.stubborn]
command = ["/t/stubborn"]
stop_signal = "SIGINT"
stop_timeout = "3s"
`)
		fs := newFakeSpawner()
		fs.behave["/t/stubborn"] = ignores(SIGINT)
		h := newHarness(t, cfg, fs).start()
		begin := time.Now()
		h.sigs <- SIGTERM
		res := h.wait()
		p := fs.last(t, "stubborn")
		if got := p.gotSignals(); !slices.Equal(got, []string{"INT", "group KILL", "KILL", "group KILL"}) {
			t.Errorf("signals %v, want INT, then SIGKILL to the group and the process", got)
		}
		if got := p.endedAt.Sub(begin); got != 3*time.Second {
			t.Errorf("killed after %v, want 3s", got)
		}
		if res.Code != 0 || time.Since(begin) != 3*time.Second {
			t.Errorf("code %d after %v: want 0 (tinit stopped it) at once after the kill", res.Code, time.Since(begin))
		}
	})
}

// TestShutdownTimeout: shutdown_timeout bounds the ordered stop; what is
// left then is killed, whatever its own stop_timeout.
func TestShutdownTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[tinit]
shutdown_timeout = "5s"
[service.db]
command = ["/t/db"]
stop_timeout = "1h"
[service.web]
command = ["/t/web"]
requires = ["db"]
stop_timeout = "1h"
`)
		fs := newFakeSpawner()
		fs.behave["/t/db"] = ignores(SIGTERM)
		fs.behave["/t/web"] = ignores(SIGTERM)
		h := newHarness(t, cfg, fs).start()
		begin := time.Now()
		h.sigs <- SIGTERM
		h.wait()
		if got := time.Since(begin); got != 5*time.Second {
			t.Errorf("ended after %v, want 5s", got)
		}
		if got := fs.last(t, "db").gotSignals(); got[0] != "TERM" || !slices.Contains(got, "KILL") {
			t.Errorf("db got %v: want SIGTERM (after web), then SIGKILL at the deadline", got)
		}
		if len(fs.running()) != 0 {
			t.Errorf("left running: %d", len(fs.running()))
		}
	})
}

func TestSupervisorExitPolicy(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   int
		reason ShutdownReason
	}{
		{"main code", `
[service.m]
command = ["/t/exit3"]
main = true
[service.other]
command = ["/t/exit5"]
restart = "no"
`, 3, ShutdownMain},
		{"main killed", `
[service.m]
command = ["/t/sigkill"]
main = true
`, 137, ShutdownMain},
		{"first failure", `
[tinit]
exit_code = "first-failure"
[service.a]
command = ["/t/exit5"]
restart = "no"
[service.b]
command = ["/t/exit7"]
restart = "no"
`, 5, ShutdownAllDone},
		{"max", `
[tinit]
exit_code = "max"
[service.a]
command = ["/t/exit5"]
restart = "no"
[service.b]
command = ["/t/exit7"]
restart = "no"
`, 7, ShutdownAllDone},
		{"zero", `
[tinit]
exit_code = "zero"
[service.a]
command = ["/t/exit5"]
restart = "no"
`, 0, ShutdownAllDone},
		{"critical", `
[service.m]
command = ["/t/sleep"]
main = true
[service.c]
command = ["/t/exit5"]
critical = true
restart = "no"
`, 5, ShutdownCritical},
		{"critical after its restarts", `
[tinit]
exit_code = "max"
[service.c]
command = ["/t/exit3"]
critical = true
restart_delay = "1s"
start_limit_burst = 3
[service.d]
command = ["/t/exit5"]
restart = "no"
`, 3, ShutdownCritical},
		{"success codes", `
[service.m]
command = ["/t/exit3"]
main = true
success_exit_codes = [3]
`, 3, ShutdownMain},
		{"success is no failure", `
[service.a]
command = ["/t/exit3"]
success_exit_codes = [3]
`, 0, ShutdownAllDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fs := newFakeSpawner()
				fs.behave["/t/exit3"] = exitsAfter(2*time.Second, ExitStatus{Code: 3})
				fs.behave["/t/exit5"] = exitsAfter(time.Second, ExitStatus{Code: 5})
				fs.behave["/t/exit7"] = exitsAfter(3*time.Second, ExitStatus{Code: 7})
				fs.behave["/t/sigkill"] = exitsAfter(time.Second, ExitStatus{Signal: SIGKILL})
				h := newHarness(t, parseConfig(t, tt.config), fs).start()
				res := h.wait()
				if res.Code != tt.want || res.Reason != tt.reason {
					t.Errorf("got %d (%v), want %d (%v); log:\n%s", res.Code, res.Reason, tt.want, tt.reason, h.log.dump())
				}
				if len(fs.running()) != 0 {
					t.Errorf("left running: %d", len(fs.running()))
				}
			})
		})
	}
}

func TestDependencyFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.base]
type = "oneshot"
command = ["/t/fail"]
[service.hard]
command = ["/t/hard"]
requires = ["base"]
[service.harder]
command = ["/t/harder"]
requires = ["hard"]
[service.soft]
command = ["/t/soft"]
wants = ["base"]
[service.order]
command = ["/t/order"]
after = ["base"]
`)
		fs := newFakeSpawner()
		fs.behave["/t/fail"] = exitsAfter(time.Second, ExitStatus{Code: 1})
		h := newHarness(t, cfg, fs).start()
		time.Sleep(time.Minute)
		want := "base=failed hard=failed harder=failed order=ready soft=ready"
		if got := h.states(); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
		for _, name := range []string{"hard", "harder"} {
			if n := len(fs.started(name, RoleService)); n != 0 {
				t.Errorf("%s started %d times", name, n)
			}
		}
		if !h.log.has("soft", `starting although "base" failed`) || !h.log.has("harder", `dependency "hard" failed`) {
			t.Errorf("log:\n%s", h.log.dump())
		}
		h.sigs <- SIGTERM
		h.wait()
	})
}

// TestRequiredFailsLater: a service that fails for good while what
// requires it runs stops its dependents, which fail too.
func TestRequiredFailsLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.db]
command = ["/t/db"]
restart = "no"
[service.web]
command = ["/t/web"]
requires = ["db"]
[service.log]
command = ["/t/log"]
wants = ["db"]
`)
		fs := newFakeSpawner()
		fs.behave["/t/db"] = exitsAfter(10*time.Second, ExitStatus{Code: 2})
		h := newHarness(t, cfg, fs).start()
		time.Sleep(time.Minute)
		if got := h.states(); got != "db=failed log=ready web=failed" {
			t.Errorf("got %s", got)
		}
		if sig := fs.last(t, "web").gotSignals(); len(sig) == 0 || sig[0] != "TERM" {
			t.Errorf("web got %v, want SIGTERM", sig)
		}
		h.sigs <- SIGTERM
		h.wait()
	})
}

func TestSignals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.a]
command = ["/t/a"]
`)
		fs := newFakeSpawner()
		fs.behave["/t/a"] = ignores(SIGTERM) // stopping lasts stop_timeout
		h := newHarness(t, cfg, fs).start()
		h.sigs <- SIGHUP
		h.sigs <- SIGUSR1
		synctest.Wait()
		if h.state("a") != StateReady || len(fs.last(t, "a").gotSignals()) != 0 {
			t.Errorf("SIGHUP or SIGUSR1 did something: %s", h.states())
		}
		h.sigs <- SIGQUIT
		synctest.Wait()
		h.sigs <- SIGTERM // while stopping: logged, nothing more
		res := h.wait()
		if res.Reason != ShutdownSignal || !h.log.has("", "got SIGHUP, ignoring it") || !h.log.has("", "got SIGTERM, already shutting down") {
			t.Errorf("reason %v; log:\n%s", res.Reason, h.log.dump())
		}
		if got := fs.last(t, "a").gotSignals(); slices.Index(got, "TERM") != 0 || slices.Index(got[1:], "TERM") >= 0 {
			t.Errorf("a got %v, want its stop signal once", got)
		}
	})
}

// TestStragglersKilled: what is left outlives its SIGTERM; when the
// shutdown deadline passes, it gets SIGKILL.
func TestStragglersKilled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[tinit]
shutdown_timeout = "3s"
[service.a]
command = ["/t/a"]
`)
		h := newHarness(t, cfg, newFakeSpawner())
		st := &fakeStragglers{stubborn: true}
		h.s.opt.Stragglers = st
		h.start()
		begin := time.Now()
		h.sigs <- SIGTERM
		h.wait()
		if got := strings.Join(st.sent, " "); got != "SIGTERM SIGKILL" {
			t.Errorf("stragglers got %q, want SIGTERM then SIGKILL", got)
		}
		if took := time.Since(begin); took != 3*time.Second {
			t.Errorf("the run ended %v after SIGTERM, want at the 3s shutdown_timeout", took)
		}
	})
}

// TestForwardSignals is single-command mode: every signal goes to the
// main service, rewritten, to its process or its group; one that tinit's
// signal handler forwarded already (Forwarded) is only logged.
func TestForwardSignals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.app]
command = ["/t/app"]
main = true
`)
		fs := newFakeSpawner()
		fs.behave["/t/app"] = ignores(SIGHUP, SIGUSR1, SIGQUIT)
		h := newHarness(t, cfg, fs)
		h.s.opt.SignalAction = func(sig Signal) SignalAction {
			switch sig {
			case SIGUSR2:
				return SignalAction{Do: SignalForward, As: SIGQUIT}
			case SIGUSR1:
				return SignalAction{Do: SignalForward, Group: true}
			}
			return SignalAction{Do: SignalForward}
		}
		h.start()
		for _, sig := range []os.Signal{SIGHUP, SIGUSR1, SIGUSR2, Forwarded(SIGINT), SIGTERM} {
			h.sigs <- sig
		}
		res := h.wait()
		got := fs.last(t, "app").gotSignals()
		if slices.Contains(got, "INT") {
			t.Errorf("app got %v: SIGINT, forwarded by the handler, was sent again", got)
		}
		want := []string{"HUP", "group USR1", "QUIT", "TERM"}
		if len(got) < 4 || !slices.Equal(got[:4], want) {
			t.Errorf("app got %v, want %v first", got, want)
		}
		if res.Code != 128+int(SIGTERM) || res.Reason != ShutdownMain {
			t.Errorf("got %d (%v), want 143 (main ended)", res.Code, res.Reason)
		}
		for _, msg := range []string{"forwarded SIGHUP", "forwarded SIGUSR2 as SIGQUIT", "forwarded SIGINT"} {
			if !h.log.has("app", msg) {
				t.Errorf("no %q in the log:\n%s", msg, h.log.dump())
			}
		}
		if h.log.has("app", "forwarded SIGHUP as SIGHUP") {
			t.Errorf("a signal forwarded as itself is named twice:\n%s", h.log.dump())
		}
	})
}

// TestSignalsBeforeEvents: a signal received before an event is handled
// before it, whichever the loop's select would pick: tinit reports a
// forwarded signal before the end it caused, and the log keeps that order.
func TestSignalsBeforeEvents(t *testing.T) {
	for range 20 {
		synctest.Test(t, func(t *testing.T) {
			cfg := parseConfig(t, `
[service.app]
command = ["/t/app"]
main = true
`)
			fs := newFakeSpawner()
			h := newHarness(t, cfg, fs)
			gate := make(chan struct{})
			h.s.opt.SignalAction = func(sig Signal) SignalAction {
				if sig == SIGHUP {
					<-gate // holds the loop while the signal and the end queue up
				}
				return SignalAction{Do: SignalForward}
			}
			h.start()
			synctest.Wait()
			h.sigs <- SIGHUP
			synctest.Wait()
			h.sigs <- Forwarded(SIGUSR1)
			fs.last(t, "app").end(ExitStatus{Signal: SIGUSR1})
			synctest.Wait()
			close(gate)
			h.wait()
			if !h.log.has("app", "forwarded SIGUSR1") {
				t.Fatalf("the end was handled before the signal received first:\n%s", h.log.dump())
			}
		})
	}
}

func TestHooks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.app]
command = ["/t/app"]
user = "1000"
pre_start = ["/t/pre"]
pre_start_timeout = "5s"
post_stop = ["/t/post"]
restart_delay = "1s"
start_limit_burst = 3
`)
		fs := newFakeSpawner()
		hookRuns := 0
		fs.behave["/t/pre"] = func(p *fakeProc) {
			hookRuns++
			switch hookRuns {
			case 1: // fails
				p.exitAfter(time.Second, ExitStatus{Code: 4})
			case 2: // hangs: killed at its timeout
			default:
				p.write("prepared\n")
				p.exitAfter(time.Second, ExitStatus{})
			}
		}
		fs.behave["/t/app"] = exitsAfter(10*time.Second, ExitStatus{Code: 1})
		fs.behave["/t/post"] = exitsAfter(time.Second, ExitStatus{})
		begin := time.Now()
		h := newHarness(t, cfg, fs).start()
		time.Sleep(30 * time.Second)
		pre := fs.started("app", RolePreStart)
		if len(pre) != 3 {
			t.Fatalf("pre_start ran %d times; log:\n%s", len(pre), h.log.dump())
		}
		if got := pre[1].endedAt.Sub(pre[1].started); got != 5*time.Second {
			t.Errorf("hanging hook killed after %v, want 5s", got)
		}
		if c := pre[0].spec.Credential; c == nil || c.UID != 1000 || !pre[0].spec.Autokill {
			t.Errorf("hook spec %+v: want uid 1000, autokill", pre[0].spec)
		}
		app := fs.started("app", RoleService)
		// pre 0-1s fails, delay 1s; pre 2s-7s times out, delay 2s; pre 9-10s, app 10s-20s.
		if len(app) != 1 || app[0].started.Sub(begin) != 10*time.Second {
			t.Fatalf("app runs %v; log:\n%s", startTimes(fs, "app", begin), h.log.dump())
		}
		post := fs.started("app", RolePostStop)
		if len(post) != 1 || post[0].started.Sub(begin) != 20*time.Second {
			t.Errorf("post_stop runs %v, want one at 20s", post)
		}
		if !strings.Contains(h.stdout.String(), "app | prepared") {
			t.Errorf("hook output %q: want it with the service's prefix", h.stdout.String())
		}
		h.sigs <- SIGTERM
		h.wait()
	})
}

func TestOutput(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.talk]
command = ["/t/talk"]
output_ring_lines = 2
[service.quiet]
command = ["/t/talk"]
output = "null"
`)
		fs := newFakeSpawner()
		fs.behave["/t/talk"] = func(p *fakeProc) {
			p.write("one\ntwo\r\nthree\npartial")
			p.spec.Stderr.WriteString("oops\n")
		}
		h := newHarness(t, cfg, fs).start()
		h.sigs <- SIGTERM
		h.wait()
		out := h.stdout.String()
		for _, line := range []string{"talk  | one\n", "talk  | two\n", "talk  | partial\n", "talk  | oops\n"} {
			if !strings.Contains(out, line) {
				t.Errorf("console %q: no %q", out, line)
			}
		}
		if strings.Contains(out, "quiet") {
			t.Errorf("console %q: output null was printed", out)
		}
	})
}

// TestDependencyFailsWhileStopping: a service that is stopping for
// another reason (here a restart request) when what it requires fails for
// good settles as failed, for that dependency, and does not restart.
func TestDependencyFailsWhileStopping(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.db]
command = ["/t/db"]
restart = "no"
[service.web]
command = ["/t/web"]
requires = ["db"]
stop_timeout = "10s"
`)
		fs := newFakeSpawner()
		fs.behave["/t/web"] = ignores(SIGTERM)
		h := newHarness(t, cfg, fs).start()
		reply := make(chan Reply, 1) // answered once web has stopped
		h.s.Requests() <- Request{Op: OpRestart, Service: "web", Reply: reply}
		synctest.Wait()
		if got := h.state("web"); got != StateStopping {
			t.Fatalf("web %v after the restart request, want stopping", got)
		}
		fs.last(t, "db").end(ExitStatus{Code: 1})
		h.wait()
		if n := len(fs.started("web", RoleService)); n != 1 {
			t.Errorf("web ran %d times, want 1: it must not restart", n)
		}
		if !h.log.has("web", `stopping -> failed: dependency "db" failed`) {
			t.Errorf("web did not fail for its dependency; log:\n%s", h.log.dump())
		}
	})
}

// TestAbandonAfterKill: a process that outlives its SIGKILL (asleep in
// the kernel) is given up killWait later, so that tinit can still end.
func TestAbandonAfterKill(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[tinit]
shutdown_timeout = "5s"
[service.nfs]
command = ["/t/nfs"]
[service.web]
command = ["/t/web"]
`)
		fs := newFakeSpawner()
		fs.behave["/t/nfs"] = stuck
		h := newHarness(t, cfg, fs).start()
		begin := time.Now()
		h.sigs <- SIGTERM
		h.wait()
		if got, want := time.Since(begin), 5*time.Second+killWait; got != want {
			t.Errorf("ended after %v, want %v (shutdown_timeout, then killWait)", got, want)
		}
		nfs := fs.last(t, "nfs")
		if got := nfs.gotSignals(); got[0] != "TERM" || !slices.Contains(got, "KILL") {
			t.Errorf("nfs got %v, want SIGTERM, then SIGKILL at the deadline", got)
		}
		nfs.mu.Lock()
		closed := nfs.closed
		nfs.mu.Unlock()
		if !closed {
			t.Error("the abandoned process was not closed")
		}
		if !h.log.has("nfs", "after SIGKILL, abandoned") {
			t.Errorf("no abandon message; log:\n%s", h.log.dump())
		}
		if got := fs.last(t, "web").gotSignals(); got[0] != "TERM" || slices.Contains(got, "KILL") {
			t.Errorf("web got %v, want SIGTERM and no SIGKILL: it stopped in time", got)
		}
	})
}

// TestPanicStopsService: a panic in a goroutine working for a service is
// logged, and the service, which tinit no longer knows the state of, is
// stopped as failed instead of tinit crashing.
func TestPanicStopsService(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.web]
command = ["/t/web"]
ready_tcp = "127.0.0.1:80"
restart = "no"
`)
		fs := newFakeSpawner()
		h := newHarness(t, cfg, fs)
		h.s.tcpProbe = func(context.Context, string) error { panic("probe bug") }
		res := h.start().wait()
		if !slices.Contains(h.log.moves(), "web: stopping -> failed") {
			t.Errorf("web did not fail through stopping; log:\n%s", h.log.dump())
		}
		if !h.log.has("web", "panic in ready_tcp, carrying on: probe bug") {
			t.Errorf("no panic message; log:\n%s", h.log.dump())
		}
		if got := fs.last(t, "web").gotSignals(); len(got) == 0 || got[0] != "TERM" {
			t.Errorf("web got %v, want SIGTERM first", got)
		}
		if res.Code == 0 {
			t.Errorf("exit code 0 after the only service failed")
		}
	})
}

// TestNoSpawnAfterPreStartWhenDown: a pre_start hook that ends after the
// service stopped being wanted (a shutdown, a stop request) does not start
// its process: the hook is not cut short while a dependent still stops,
// and its end must not undo the stop.
func TestNoSpawnAfterPreStartWhenDown(t *testing.T) {
	for _, how := range []string{"shutdown", "stop request"} {
		t.Run(how, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := parseConfig(t, `
[service.db]
command = ["/t/db"]
pre_start = ["/t/pre"]
restart = "always"
[service.web]
command = ["/t/web"]
requires = ["db"]
stop_timeout = "5s"
`)
				fs := newFakeSpawner()
				fs.behave["/t/pre"] = exitsAfter(time.Second, ExitStatus{})
				fs.behave["/t/db"] = exitsAfter(10*time.Second, ExitStatus{Code: 1})
				fs.behave["/t/web"] = ignores(SIGTERM)
				h := newHarness(t, cfg, fs).start()
				time.Sleep(11*time.Second + 500*time.Millisecond) // db ended; its pre_start runs again
				synctest.Wait()
				if got := h.states(); got != "db=pre-start web=ready" {
					t.Fatalf("before the stop: %s", got)
				}
				if how == "shutdown" {
					h.sigs <- SIGTERM
				} else {
					h.request(OpStop, "db")
				}
				time.Sleep(time.Minute)
				synctest.Wait()
				if n := len(fs.started("db", RoleService)); n != 1 {
					t.Errorf("db's process started %d times, want 1\n%s", n, h.log.dump())
				}
				if how != "shutdown" {
					if got := h.states(); got != "db=stopped web=stopped" {
						t.Errorf("after stop db: %s", got)
					}
					h.request(OpShutdown, "")
				}
				h.wait()
			})
		})
	}
}

// TestMainFailsAtStartEndsAtOnce: when the main service cannot start at
// all (its program is missing), the run ends at once, the services not
// started yet never start, and tinit does not wait out shutdown_timeout.
// The services after it in name order are the ones that were left
// waiting.
func TestMainFailsAtStartEndsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.app]
command = ["/t/app"]
main = true
[service.web]
command = ["/t/web"]
`)
		fs := newFakeSpawner()
		fs.failWith["/t/app"] = notFoundError{}
		h := newHarness(t, cfg, fs)
		t0 := time.Now()
		h.start()
		res := h.wait()
		if took := time.Since(t0); took != 0 || res.Code != 127 {
			t.Errorf("run took %v, code %d; want 0s and 127\n%s", took, res.Code, h.log.dump())
		}
		if n := len(fs.started("web", RoleService)); n != 0 {
			t.Errorf("web started %d times during the shutdown, want 0", n)
		}
	})
}

// TestCriticalDependencyFailureCountsAsOne: a critical service that fails
// because one it requires failed ends the run with 1, as documented, even
// when it failed with another code earlier and was restarted; whether the
// dependency fails while it runs or before it starts again.
func TestCriticalDependencyFailureCountsAsOne(t *testing.T) {
	for _, when := range []string{"while running", "while waiting"} {
		t.Run(when, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := parseConfig(t, `
[service.d]
command = ["/t/d"]
restart = "no"
[service.c]
command = ["/t/c"]
requires = ["d"]
critical = true
restart_delay = "10s"
`)
				fs := newFakeSpawner()
				fs.behave["/t/d"] = exitsAfter(5*time.Second, ExitStatus{Code: 3})
				n := 0
				fs.behave["/t/c"] = func(p *fakeProc) {
					if n++; n == 1 {
						exit := time.Second // c is restarted, and runs when d fails
						if when == "while waiting" {
							exit = 4 * time.Second // c is in backoff when d fails
						}
						p.exitAfter(exit, ExitStatus{Code: 7})
					}
				}
				h := newHarness(t, cfg, fs).start()
				res := h.wait()
				if res.Outcome.Critical == nil || *res.Outcome.Critical != (ExitStatus{Code: 1}) {
					t.Errorf("critical %+v, code %d; want it to count as 1\n%s", res.Outcome.Critical, res.Code, h.log.dump())
				}
			})
		})
	}
}

// TestPanicInHookFailsIt: a panic while tinit waits for a hook counts as
// the hook's failure, as a panic while it watches a service stops that;
// the service does not stay in pre-start.
func TestPanicInHookFailsIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.web]
command = ["/t/web"]
pre_start = ["/t/pre"]
restart = "no"
`)
		fs := newFakeSpawner()
		fs.behave["/t/pre"] = func(p *fakeProc) {
			p.panicOnExit = true
			p.exitAfter(time.Second, ExitStatus{})
		}
		h := newHarness(t, cfg, fs).start()
		h.wait() // the only service failed: the run ends
		if !slices.Contains(h.log.moves(), "web: pre-start -> failed") {
			t.Errorf("web did not fail from pre-start; log:\n%s", h.log.dump())
		}
		if !h.log.has("web", "panic in pre_start hook, carrying on: exit bug") {
			t.Errorf("no panic message; log:\n%s", h.log.dump())
		}
		if n := len(fs.started("web", RoleService)); n != 0 {
			t.Errorf("web started %d times after its pre_start failed", n)
		}
	})
}
