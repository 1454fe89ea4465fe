package services

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// startTimes returns when each run of service began, relative to begin.
func startTimes(fs *fakeSpawner, service string, begin time.Time) []time.Duration {
	var out []time.Duration
	for _, p := range fs.started(service, RoleService) {
		out = append(out, p.started.Sub(begin))
	}
	return out
}

func TestRestartBackoffAndReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.crash]
command = ["/t/crash"]
restart = "on-failure"
restart_delay = "1s"
restart_backoff = 2.0
restart_delay_max = "5s"
restart_reset_after = "1m"
start_limit_burst = 0
`)
		fs := newFakeSpawner()
		// Each run fails after 1s, except the 7th, which runs 2 minutes.
		fs.behave["/t/crash"] = func(p *fakeProc) {
			d := time.Second
			if p.pid == 107 {
				d = 2 * time.Minute
			}
			p.exitAfter(d, ExitStatus{Code: 3})
		}
		begin := time.Now()
		h := newHarness(t, cfg, fs).start()
		time.Sleep(3 * time.Minute)
		h.sigs <- SIGTERM
		h.wait()
		// Each run lasts 1s, then waits 1s, 2s, 4s, 5s, 5s, 5s; the run of
		// 2 minutes from 28s resets the delays to 1s, 2s ...
		want := []time.Duration{0, 2, 5, 10, 16, 22, 28, 149, 152, 157, 163, 169, 175}
		for i := range want {
			want[i] *= time.Second
		}
		got := startTimes(fs, "crash", begin)
		if !slices.Equal(got, want) {
			t.Errorf("starts at\n%v, want\n%v", got, want)
		}
	})
}

func TestRestartModes(t *testing.T) {
	tests := []struct {
		mode   string
		status ExitStatus
		runs   int
		state  State
	}{
		{"no", ExitStatus{Code: 1}, 1, StateFailed},
		{"no", ExitStatus{}, 1, StateExited},
		{"on-failure", ExitStatus{}, 1, StateExited},
		{"on-failure", ExitStatus{Code: 2}, 3, StateFailed}, // start_limit_burst 3
		{"on-failure", ExitStatus{Code: 7}, 1, StateExited}, // in success_exit_codes
		{"on-failure", ExitStatus{Signal: SIGTERM}, 1, StateExited},
		{"always", ExitStatus{}, 3, StateFailed},
	}
	for _, tt := range tests {
		t.Run(tt.mode+" "+tt.status.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				limits := "\nstart_limit_burst = 3\nrestart_delay = \"1s\""
				if tt.mode == "no" {
					limits = ""
				}
				cfg := parseConfig(t, `
[service.x]
command = ["/t/x"]
success_exit_codes = [7, "SIGTERM"]
restart = "`+tt.mode+`"`+limits+`
[service.keep]
command = ["/t/keep"]
`)
				fs := newFakeSpawner()
				fs.behave["/t/x"] = exitsAfter(time.Second, tt.status)
				h := newHarness(t, cfg, fs).start()
				time.Sleep(time.Minute)
				if got := h.state("x"); got != tt.state {
					t.Errorf("state %v, want %v", got, tt.state)
				}
				if got := len(fs.started("x", RoleService)); got != tt.runs {
					t.Errorf("ran %d times, want %d", got, tt.runs)
				}
				h.sigs <- SIGTERM
				h.wait()
			})
		})
	}
}

// TestStartLimit: more than start_limit_burst starts within the interval
// fail the service for good; spread out, they do not.
func TestStartLimit(t *testing.T) {
	for _, tt := range []struct {
		runFor time.Duration
		runs   int
		state  State
	}{
		{time.Second, 4, StateFailed},     // 4 starts within 10s
		{10 * time.Second, 6, StateReady}, // at most 2 starts in any 10s
	} {
		synctest.Test(t, func(t *testing.T) {
			cfg := parseConfig(t, `
[service.x]
command = ["/t/x"]
restart_delay = "100ms"
restart_backoff = 1.0
start_limit_burst = 4
start_limit_interval = "10s"
[service.keep]
command = ["/t/keep"]
`)
			fs := newFakeSpawner()
			fs.behave["/t/x"] = exitsAfter(tt.runFor, ExitStatus{Code: 1})
			h := newHarness(t, cfg, fs).start()
			time.Sleep(time.Minute)
			if got := h.state("x"); got != tt.state {
				t.Errorf("run for %v: state %v, want %v", tt.runFor, got, tt.state)
			}
			if got := len(fs.started("x", RoleService)); got != tt.runs {
				t.Errorf("run for %v: %d runs, want %d", tt.runFor, got, tt.runs)
			}
			h.sigs <- SIGTERM
			h.wait()
		})
	}
}

// TestStartLimitOne: a burst of one gives up after the first start, and
// says so in the singular.
func TestStartLimitOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.x]
command = ["/t/x"]
start_limit_burst = 1
[service.keep]
command = ["/t/keep"]
`)
		fs := newFakeSpawner()
		fs.behave["/t/x"] = exitsAfter(time.Second, ExitStatus{Code: 1})
		h := newHarness(t, cfg, fs).start()
		time.Sleep(time.Minute)
		if got := h.state("x"); got != StateFailed {
			t.Errorf("state %v, want %v", got, StateFailed)
		}
		if !h.log.has("x", "started 1 time within 1m, giving up") {
			t.Errorf("no singular give-up message:\n%s", h.log.dump())
		}
		h.sigs <- SIGTERM
		h.wait()
	})
}

func TestHealthFailureRestarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.web]
command = ["/t/web"]
restart_delay = "1s"
[service.web.health]
tcp = "127.0.0.1:80"
interval = "10s"
timeout = "1s"
retries = 3
start_period = "15s"
`)
		fs := newFakeSpawner()
		begin := time.Now()
		h := newHarness(t, cfg, fs).start()
		time.Sleep(time.Minute) // probes at 10s (not counted), then 20s 30s 40s fail
		runs := startTimes(fs, "web", begin)
		if !slices.Equal(runs, []time.Duration{0, 41 * time.Second}) {
			t.Errorf("runs at %v, want 0s and 41s (three failures after the start period, then 1s)", runs)
		}
		if !h.log.has("web", "health check failed (3 of 3)") || !h.log.has("web", "not counted") {
			t.Errorf("log:\n%s", h.log.dump())
		}
		h.setHealthy("127.0.0.1:80", true)
		time.Sleep(2 * time.Minute)
		if got := len(fs.started("web", RoleService)); got != 2 {
			t.Errorf("healthy, still restarted: %d runs", got)
		}
		h.sigs <- SIGTERM
		res := h.wait()
		if res.Code != 1 || len(res.Outcome.Failures) != 1 {
			t.Errorf("code %d, failures %v: want the health failure counted once", res.Code, res.Outcome.Failures)
		}
	})
}

func TestHealthCommandTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.web]
command = ["/t/web"]
restart = "no"
[service.web.health]
command = ["/t/check"]
interval = "10s"
timeout = "2s"
retries = 1
`)
		fs := newFakeSpawner() // /t/check never exits
		h := newHarness(t, cfg, fs).start()
		res := h.wait()
		checks := fs.started("web", RoleHealth)
		if len(checks) != 1 || !checks[0].ended() || !checks[0].spec.Autokill {
			t.Fatalf("checks %v: want one, ended, autokill", checks)
		}
		if got := checks[0].endedAt.Sub(checks[0].started); got != 2*time.Second {
			t.Errorf("check killed after %v, want the 2s timeout", got)
		}
		if res.Code != 1 || !h.log.has("web", "health check failed") {
			t.Errorf("code %d; log:\n%s", res.Code, h.log.dump())
		}
	})
}

func TestStartFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.app]
command = ["/t/missing"]
main = true
`)
		fs := newFakeSpawner()
		fs.failWith["/t/missing"] = notFoundError{}
		h := newHarness(t, cfg, fs).start()
		res := h.wait()
		if res.Code != 127 || res.Reason != ShutdownMain {
			t.Errorf("got %d %v, want 127, main ended; log:\n%s", res.Code, res.Reason, h.log.dump())
		}
	})
}

// notFoundError is how reaper.StartError says a program is missing.
type notFoundError struct{}

func (notFoundError) Error() string       { return "exec: no such file or directory" }
func (notFoundError) NotFound() bool      { return true }
func (notFoundError) NotExecutable() bool { return false }

// TestHealthSuccessResetsCount: only failures in a row count; a success
// between them starts the count again.
func TestHealthSuccessResetsCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.web]
command = ["/t/web"]
[service.web.health]
tcp = "127.0.0.1:80"
interval = "10s"
timeout = "1s"
retries = 2
`)
		fs := newFakeSpawner()
		h := newHarness(t, cfg, fs)
		h.setHealthy("127.0.0.1:80", true)
		h.start()
		// Probes at 10s, 20s, 30s ...: fail, pass, fail, pass ... (the
		// state changes at 5s, 15s, 25s ..., between them).
		time.Sleep(5 * time.Second)
		for range 6 {
			h.setHealthy("127.0.0.1:80", false)
			time.Sleep(10 * time.Second)
			h.setHealthy("127.0.0.1:80", true)
			time.Sleep(10 * time.Second)
		}
		if n := len(fs.started("web", RoleService)); n != 1 || !h.log.has("web", "health check failed (1 of 2)") || h.log.has("web", "(2 of 2)") {
			t.Errorf("%d runs; log:\n%s", n, h.log.dump())
		}
		h.sigs <- SIGTERM
		h.wait()
	})
}
