package services

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tinit/tinit/services/output"
)

func mustParse(t *testing.T, text string) *Config {
	t.Helper()
	cfg, err := parse("test.toml", []byte(text), noFiles)
	if err != nil {
		t.Fatalf("parse:\n%s\nerror:\n%v", text, err)
	}
	return cfg
}

// defaultService is what `command = ["/bin/app"]` alone gives.
func defaultService(name string) *Service {
	s := &Service{
		Name: name, Command: []string{"/bin/app"}, InheritEnv: true,
		Restart: RestartPolicy{Mode: RestartOnFailure, Delay: 100 * time.Millisecond, DelayMax: 30 * time.Second,
			Backoff: 2, ResetAfter: time.Minute, StartLimitBurst: 10, StartLimitInterval: time.Minute},
		StopSignal: SIGTERM, StopTimeout: 10 * time.Second, Output: Output{RingLines: 500, RingBytes: 256 << 10},
	}
	s.SuccessExit.AddCode(0)
	return s
}

func TestServiceDefaults(t *testing.T) {
	tests := []struct {
		name  string
		extra string         // keys added to the service
		want  func(*Service) // changes from defaultService
	}{
		{"plain", "", func(s *Service) {}},
		{"oneshot", `type = "oneshot"`, func(s *Service) {
			s.Type, s.Ready.Kind, s.Restart.Mode = TypeOneshot, ReadyExit, RestartNo
		}},
		{"oneshot with a time limit", "type = \"oneshot\"\nready_timeout = \"5m\"", func(s *Service) {
			s.Type, s.Ready, s.Restart.Mode = TypeOneshot, Readiness{Kind: ReadyExit, Timeout: 5 * time.Minute}, RestartNo
		}},
		{"notify", `type = "notify"`, func(s *Service) {
			s.Type, s.Ready = TypeNotify, Readiness{Kind: ReadyNotify, Timeout: time.Minute}
		}},
		{"main", `main = true`, func(s *Service) { s.Main, s.Restart.Mode = true, RestartNo }},
		{"ready_tcp", `ready_tcp = "[::1]:80"`, func(s *Service) {
			s.Ready = Readiness{Kind: ReadyTCP, Address: "[::1]:80", Interval: 500 * time.Millisecond, Timeout: time.Minute}
		}},
		{"ready_fd", `ready_fd = 5`, func(s *Service) { s.Ready = Readiness{Kind: ReadyFD, FD: 5, Timeout: time.Minute} }},
		{"ready_command", `ready_command = ["/bin/probe"]`, func(s *Service) {
			s.Ready = Readiness{Kind: ReadyCommand, Command: []string{"/bin/probe"}, Interval: 500 * time.Millisecond, Timeout: time.Minute}
		}},
		{"short restart delay cap", `restart_delay_max = "50ms"`, func(s *Service) {
			s.Restart.Delay, s.Restart.DelayMax = 50*time.Millisecond, 50*time.Millisecond
		}},
		{"long restart delay", `restart_delay = "2m"`, func(s *Service) { s.Restart.Delay, s.Restart.DelayMax = 2*time.Minute, 2*time.Minute }},
		{"output_file alone", `output_file = "/var/log/a.log"`, func(s *Service) {
			s.Output = Output{Mode: OutputFile, File: "/var/log/a.log", MaxSize: 10 << 20, MaxFiles: 5, RingLines: 500, RingBytes: 256 << 10}
		}},
		{"hooks", "pre_start = [\"/bin/pre\"]\npost_stop = [\"/bin/post\"]\npost_stop_timeout = \"1s\"", func(s *Service) {
			s.PreStart = &Hook{Command: []string{"/bin/pre"}, Timeout: 30 * time.Second}
			s.PostStop = &Hook{Command: []string{"/bin/post"}, Timeout: time.Second}
		}},
		{"health", `health = { tcp = "127.0.0.1:5432" }`, func(s *Service) {
			s.Health = &HealthCheck{Kind: HealthTCP, Address: "127.0.0.1:5432", StatusLo: 200, StatusHi: 399,
				Interval: 10 * time.Second, Timeout: 5 * time.Second, Retries: 3}
		}},
		{"paths are cleaned", `working_dir = "/srv//app/../web/"`, func(s *Service) { s.WorkingDir = "/srv/web" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustParse(t, "[service.a]\ncommand = [\"/bin/app\"]\n"+tt.extra+"\n")
			want := defaultService("a")
			tt.want(want)
			if got := cfg.Services[0]; !reflect.DeepEqual(got, want) {
				t.Errorf("service:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSettingsDefaults(t *testing.T) {
	cfg := mustParse(t, "[service.a]\ncommand = [\"/bin/app\"]\n")
	want := Settings{ShutdownTimeout: 10 * time.Second, ExitCode: ExitFirstFailure, LogFormat: LogText,
		LogLevel: output.LevelInfo, ControlSocket: "/run/tinit/control.sock"}
	if cfg.Tinit != want {
		t.Errorf("settings: got %+v, want %+v", cfg.Tinit, want)
	}
	cfg = mustParse(t, "[tinit]\ncontrol_socket = \"\"\n[service.a]\ncommand = [\"/bin/app\"]\nmain = true\n")
	if cfg.Tinit.ExitCode != ExitMain || cfg.Tinit.ControlSocket != "" {
		t.Errorf("with a main service: exit_code %v, control socket %q; want main and none", cfg.Tinit.ExitCode, cfg.Tinit.ControlSocket)
	}
}

// TestFullConfig reads a configuration that sets every key.
func TestFullConfig(t *testing.T) {
	cfg, err := LoadFile("testdata/valid/full.toml")
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{ShutdownTimeout: 30 * time.Second, ExitCode: ExitMax, LogFormat: LogJSON,
		LogLevel: output.LevelDebug, ControlSocket: "/run/t/ctl.sock"}
	if cfg.Tinit != want {
		t.Errorf("settings: got %+v, want %+v", cfg.Tinit, want)
	}
	db, web := cfg.Service("db"), cfg.Service("web")
	checks := []struct {
		what      string
		got, want any
	}{
		{"names", cfg.Graph.Names(), []string{"db", "logs", "migrate", "web"}},
		{"waves", cfg.Graph.Waves(), [][]string{{"db", "logs"}, {"migrate"}, {"web"}}},
		{"db env", db.Env, []string{"PGDATA=/var/lib/postgresql/data", "SHARED=from env", "LANG=C.UTF-8", "PGPORT=5433"}},
		{"db user", *db.User, Account{Name: "postgres"}},
		{"db group", *db.Group, Account{ID: 999}},
		{"db groups", db.Groups, []Account{{Name: "ssl-cert"}, {ID: 44}}},
		{"db umask", db.Umask.String(), "0077"},
		{"db rlimits", db.Rlimits, []Rlimit{{4, RlimInfinity, RlimInfinity}, {7, 1024, 65536}, {8, 64 << 20, 64 << 20}}},
		{"db working_dir", db.WorkingDir, "/var/lib/postgresql"},
		{"db ready", db.Ready, Readiness{Kind: ReadyNotify, Timeout: 2 * time.Minute}},
		{"db restart", db.Restart, RestartPolicy{Mode: RestartAlways, Delay: time.Second, DelayMax: time.Minute,
			Backoff: 1.5, ResetAfter: 5 * time.Minute, StartLimitBurst: 0, StartLimitInterval: 10 * time.Minute}},
		{"db success", db.SuccessExit.String(), "0 3 SIGHUP SIGTERM"},
		{"db stop", []any{db.StopSignal, db.StopTimeout}, []any{Signal(2), time.Minute}},
		{"db roles", []bool{db.Main, db.Critical, db.Autokill, db.NoNewPrivs, db.InheritEnv}, []bool{false, true, true, true, false}},
		{"db cgroup", []string{db.Cgroup.MemoryMax.String(), db.Cgroup.CPUMax.String(), db.Cgroup.PidsMax.String()},
			[]string{"536870912", "150000 100000", "max"}},
		{"db output", db.Output, Output{Mode: OutputFile, File: "/var/log/db.log", MaxSize: 64 << 20, MaxFiles: 3, RingLines: 2000, RingBytes: 1 << 20}},
		{"db hooks", []Hook{*db.PreStart, *db.PostStop}, []Hook{{[]string{"/usr/local/bin/db-check", "--fix"}, 5 * time.Minute},
			{[]string{"/bin/sync"}, 10 * time.Second}}},
		{"db health", *db.Health, HealthCheck{Kind: HealthCommand, Command: []string{"pg_isready", "-q"}, StatusLo: 200, StatusHi: 399,
			Interval: 30 * time.Second, Timeout: 3 * time.Second, Retries: 5, StartPeriod: time.Minute}},
		{"web health", *web.Health, HealthCheck{Kind: HealthHTTP, Address: "127.0.0.1:8080", URL: "http://127.0.0.1:8080/healthz?full=1",
			StatusLo: 200, StatusHi: 299, Interval: 10 * time.Second, Timeout: 5 * time.Second, Retries: 3}},
		{"web ready", web.Ready, Readiness{Kind: ReadyTCP, Address: "127.0.0.1:8080", Interval: 100 * time.Millisecond, Timeout: time.Minute}},
		{"web restart", web.Restart.Mode, RestartNo},
		{"web deps", [][]string{web.After, web.Requires, web.Wants}, [][]string{{"migrate"}, {"db"}, {"logs"}}},
		{"main", cfg.Main(), web},
		{"migrate", []any{cfg.Service("migrate").Ready, cfg.Service("migrate").Restart.Mode},
			[]any{Readiness{Kind: ReadyExit, Timeout: 10 * time.Minute}, RestartOnFailure}},
		{"logs", []any{cfg.Service("logs").Ready, cfg.Service("logs").Output.Mode, *cfg.Service("logs").Cgroup.MemoryMax,
			cfg.Service("logs").Cgroup.CPUMax.String()},
			[]any{Readiness{Kind: ReadyFD, FD: 3, Timeout: time.Minute}, OutputNull, Quantity{Value: 64 << 20}, "50000 200000"}},
		{"unknown service", cfg.Service("nope"), (*Service)(nil)},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.what, c.got, c.want)
		}
	}
}

func TestEnviron(t *testing.T) {
	s := &Service{InheritEnv: true, Env: []string{"PATH=/app/bin", "NEW=1"}}
	base := []string{"HOME=/root", "PATH=/usr/bin", "ODD"}
	if got, want := s.Environ(base), []string{"HOME=/root", "ODD", "PATH=/app/bin", "NEW=1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Environ = %q, want %q", got, want)
	}
	s.InheritEnv = false
	if got, want := s.Environ(base), []string{"PATH=/app/bin", "NEW=1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Environ without inherit_env = %q, want %q", got, want)
	}
}

func TestRestartPolicy(t *testing.T) {
	r := RestartPolicy{Mode: RestartOnFailure, Delay: 100 * time.Millisecond, DelayMax: time.Second, Backoff: 2}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for n, w := range want {
		if got := r.DelayFor(n); got != w*time.Millisecond {
			t.Errorf("DelayFor(%d) = %v, want %v", n, got, w*time.Millisecond)
		}
	}
	if got := r.DelayFor(1 << 30); got != time.Second {
		t.Errorf("DelayFor(huge) = %v, want the cap", got)
	}
	fixed := RestartPolicy{Delay: time.Second, DelayMax: time.Minute, Backoff: 1}
	if got := fixed.DelayFor(50); got != time.Second {
		t.Errorf("fixed DelayFor(50) = %v, want 1s", got)
	}
	for _, tt := range []struct {
		mode   RestartMode
		failed bool
		want   bool
	}{{RestartNo, true, false}, {RestartOnFailure, true, true}, {RestartOnFailure, false, false}, {RestartAlways, false, true}} {
		if got := (RestartPolicy{Mode: tt.mode}).Restarts(tt.failed); got != tt.want {
			t.Errorf("%v.Restarts(%v) = %v, want %v", tt.mode, tt.failed, got, tt.want)
		}
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, make([]byte, maxConfigSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "missing.toml"), dir, big} {
		_, err := LoadFile(path)
		var ce *ConfigError
		if err == nil || errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "load config: ") {
			t.Errorf("LoadFile(%q) = %v, want a plain load error", path, err)
		}
	}
	if _, err := Parse("big.toml", make([]byte, maxConfigSize+1)); err == nil || !strings.Contains(err.Error(), "big.toml:1: file is larger than the limit of 4M") {
		t.Errorf("Parse(too big) = %v", err)
	}
}

// TestEnvFileNotRegular checks that an env_file that is a directory or a
// FIFO is refused without blocking.
func TestEnvFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{dir, "/dev/null"} {
		_, err := Parse(filepath.Join(dir, "x.toml"), []byte("[service.a]\ncommand = [\"/bin/app\"]\nenv_file = \""+p+"\"\n"))
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("env_file %q: error %v, want not a regular file", p, err)
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "f", Line: 3, Service: "web", Key: "command", Msg: "bad"}, `f:3: service "web": command: bad`},
		{Problem{File: "f", Line: 3, Service: "web", Msg: "bad"}, `f:3: service "web": bad`},
		{Problem{File: "f", Line: 1, Key: "tinit.exit_code", Msg: "bad"}, `f:1: tinit: exit_code: bad`},
		{Problem{File: "f", Line: 1, Key: "servce", Msg: "bad"}, `f:1: servce: bad`},
		{Problem{File: "f", Line: 1, Msg: "bad"}, `f:1: bad`},
		{Problem{File: "f", Line: 1, Service: "a\nb", Msg: "bad"}, `f:1: service "a\nb": bad`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
	e := &ConfigError{Problems: []Problem{tests[0].p, tests[2].p}}
	if got, want := e.Error(), tests[0].want+"\n"+tests[2].want; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
