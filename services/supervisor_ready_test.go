package services

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestReadiness starts a service with each readiness method, and a
// dependent "after" it: the dependent must start exactly when the
// service becomes ready.
func TestReadiness(t *testing.T) {
	tests := []struct {
		name    string
		service string                            // the [service.svc] keys
		behave  func(p *fakeProc)                 // what svc's process does
		makeIt  func(h *harness, fs *fakeSpawner) // makes it ready, just before 10s
		readyAt time.Duration
	}{
		{name: "started", service: `command = ["/t/svc"]`},
		{
			name:    "notify",
			service: `type = "notify"` + "\n" + `command = ["/t/svc"]`,
			makeIt: func(h *harness, fs *fakeSpawner) {
				p := fs.last(h.t, "svc")
				h.notify(p.pid+1000, "READY=1") // not its process: ignored
				h.notify(p.pid, "STATUS=warming up")
				if h.state("svc") != StateStarting {
					h.t.Errorf("ready before READY=1")
				}
				h.notify(p.pid, "READY=1\nSTATUS=serving")
			},
			readyAt: 10*time.Second - time.Millisecond,
		},
		{
			name:    "fd",
			service: `command = ["/t/svc"]` + "\n" + `ready_fd = 5`,
			behave: func(p *fakeProc) {
				if len(p.spec.ExtraFiles) != 3 || p.spec.ExtraFiles[2] == nil || p.spec.ExtraFiles[0] != nil {
					panic(fmt.Sprintf("ready_fd 5: extra files %v", p.spec.ExtraFiles))
				}
				p.readyFD(5)
			},
		},
		{
			name:    "tcp",
			service: `command = ["/t/svc"]` + "\n" + `ready_tcp = "127.0.0.1:80"` + "\n" + `ready_interval = "1s"`,
			makeIt:  func(h *harness, _ *fakeSpawner) { h.setHealthy("127.0.0.1:80", true) },
			readyAt: 10 * time.Second,
		},
		{
			name:    "command",
			service: `command = ["/t/svc"]` + "\n" + `ready_command = ["/t/probe"]` + "\n" + `ready_interval = "1s"`,
			makeIt: func(h *harness, fs *fakeSpawner) {
				fs.mu.Lock()
				fs.behave["/t/probe"] = exitsAfter(0, ExitStatus{})
				fs.mu.Unlock()
			},
			readyAt: 10 * time.Second,
		},
		{
			name:    "oneshot",
			service: `type = "oneshot"` + "\n" + `command = ["/t/svc"]`,
			behave:  exitsAfter(10*time.Second, ExitStatus{}),
			makeIt:  func(*harness, *fakeSpawner) {},
			readyAt: 10 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := parseConfig(t, "[service.svc]\n"+tt.service+`
[service.next]
command = ["/t/next"]
after = ["svc"]
`)
				fs := newFakeSpawner()
				fs.behave["/t/svc"] = tt.behave
				fs.behave["/t/probe"] = exitsAfter(0, ExitStatus{Code: 1})
				begin := time.Now()
				h := newHarness(t, cfg, fs).start()
				if tt.makeIt != nil {
					time.Sleep(10*time.Second - time.Millisecond)
					tt.makeIt(h, fs)
				}
				time.Sleep(time.Millisecond) // the probes' next round
				synctest.Wait()
				next := fs.started("next", RoleService)
				if len(next) != 1 {
					t.Fatalf("next started %d times; log:\n%s", len(next), h.log.dump())
				}
				if got := next[0].started.Sub(begin); got != tt.readyAt {
					t.Errorf("next started at %v, want %v", got, tt.readyAt)
				}
				h.sigs <- SIGTERM
				if res := h.wait(); res.Code != 0 {
					t.Errorf("exit code %d, want 0", res.Code)
				}
				if tt.name == "command" {
					probes := fs.started("svc", RoleReady)
					if len(probes) != 11 { // at 0s, 1s, ... 10s
						t.Errorf("ready_command ran %d times, want 11", len(probes))
					}
					if !probes[0].spec.Autokill || probes[0].spec.Stdout == nil {
						t.Errorf("probe spec %+v: want autokill and /dev/null", probes[0].spec)
					}
				}
			})
		})
	}
}

func TestNotifyStatusAndSocket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.n]
type = "notify"
command = ["/t/n"]
[service.s]
command = ["/t/s"]
`)
		fs := newFakeSpawner()
		h := newHarness(t, cfg, fs)
		h.s.opt.Environ = append(h.s.opt.Environ, "NOTIFY_SOCKET=/run/systemd/notify")
		h.start()
		n, s := fs.last(t, "n"), fs.last(t, "s")
		if got := envOf(n.spec.Env, "NOTIFY_SOCKET"); !slices.Equal(got, []string{"@fake"}) {
			t.Errorf("notify service: NOTIFY_SOCKET %q, want only tinit's", got)
		}
		if got := envOf(s.spec.Env, "NOTIFY_SOCKET"); got != nil {
			t.Errorf("simple service: NOTIFY_SOCKET %q, want none (not even tinit's own)", got)
		}
		h.notify(n.pid, "READY=1\nSTATUS=serving 3 clients")
		h.notify(n.pid, "STOPPING=1")
		var status string
		for _, st := range h.status() {
			if st.Name == "n" {
				status = st.Status
				if st.Pid != n.pid || st.State != StateReady {
					t.Errorf("status %+v, want pid %d and ready", st, n.pid)
				}
			}
		}
		if status != "serving 3 clients" {
			t.Errorf("STATUS %q, want %q", status, "serving 3 clients")
		}
		if !h.log.has("n", "stopping") {
			t.Errorf("STOPPING=1 not noted; log:\n%s", h.log.dump())
		}
		h.sigs <- SIGINT
		h.wait()
	})
}

func envOf(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			out = append(out, v)
		}
	}
	return out
}

// TestReadyTimeout: a service not ready in time is stopped, counts as a
// failure, and is restarted per its policy.
func TestReadyTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[tinit]
exit_code = "first-failure"
[service.slow]
type = "notify"
command = ["/t/slow"]
ready_timeout = "5s"
restart_delay = "1s"
start_limit_burst = 2
start_limit_interval = "1m"
[service.dep]
command = ["/t/dep"]
requires = ["slow"]
`)
		fs := newFakeSpawner()
		begin := time.Now()
		h := newHarness(t, cfg, fs).start()
		res := h.wait()
		runs := fs.started("slow", RoleService)
		if len(runs) != 2 {
			t.Fatalf("slow ran %d times, want 2 (start_limit_burst); log:\n%s", len(runs), h.log.dump())
		}
		if got := runs[1].started.Sub(begin); got != 6*time.Second {
			t.Errorf("second run at %v, want 6s (5s timeout + 1s delay)", got)
		}
		if sig := runs[0].gotSignals(); !slices.Equal(sig, []string{"TERM", "group KILL"}) {
			t.Errorf("first run got %v, want TERM, then its leftovers killed", sig)
		}
		if len(fs.started("dep", RoleService)) != 0 {
			t.Errorf("dep started although slow never became ready")
		}
		if res.Code != 1 || len(res.Outcome.Failures) != 2 {
			t.Errorf("got code %d, failures %v; want 1 and two failures", res.Code, res.Outcome.Failures)
		}
		if !h.log.has("dep", `dependency "slow" failed`) {
			t.Errorf("dep did not fail for its dependency; log:\n%s", h.log.dump())
		}
	})
}

// TestReadyFDClosed: a service that closes its ready_fd without the
// newline has failed to start.
func TestReadyFDClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.x]
command = ["/t/x"]
ready_fd = 3
restart = "no"
`)
		fs := newFakeSpawner() // writes nothing: tinit's copy closes after Start
		h := newHarness(t, cfg, fs).start()
		res := h.wait()
		if h.log.has("x", "readiness check failed") == false || res.Code != 1 {
			t.Errorf("code %d; log:\n%s", res.Code, h.log.dump())
		}
	})
}
