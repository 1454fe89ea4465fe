package services

import (
	"errors"
	"fmt"
	"net"
	"net/url"
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

// httpURLCases are URLs as a health check's http key reads them, with the
// URL stored, the address to dial, or the problem.
var httpURLCases = []struct{ text, url, addr, problem string }{
	{"http://127.0.0.1:8080/healthz?full=1", "http://127.0.0.1:8080/healthz?full=1", "127.0.0.1:8080", ""},
	{"http://localhost", "http://localhost/", "localhost:80", ""},
	{"HTTP://Web:8080?x=1", "http://Web:8080/?x=1", "Web:8080", ""},
	{"http://[::1]:8080/a%20b/c;d?e=[f]&g", "http://[::1]:8080/a%20b/c;d?e=[f]&g", "[::1]:8080", ""},
	{"http://web:/", "http://web:/", "web:80", ""},
	{"http://web/#", "http://web/", "web:80", ""},
	{"https://web/health", "", "", "https is not supported (the probe speaks plain HTTP); use tcp, or a command such as curl"},
	{"ftp://web/", "", "", `invalid URL "ftp://web/": want http://host:port/path`},
	{"http:///health", "", "", `invalid URL "http:///health": want http://host:port/path`},
	{"http:web", "", "", `invalid URL "http:web": want http://host:port/path`},
	{"localhost:8080/health", "", "", `invalid URL "localhost:8080/health": want http://host:port/path`},
	{"localhost/health", "", "", `invalid URL "localhost/health": want http://host:port/path`},
	{"", "", "", `invalid URL "": want http://host:port/path`},
	{"127.0.0.1:8080/health", "", "", `invalid URL "127.0.0.1:8080/health"`},
	{"http://user:pw@web/", "", "", `invalid URL "http://user:pw@web/": no user or #fragment`},
	{"http://web/#top", "", "", `invalid URL "http://web/#top": no user or #fragment`},
	{"http://web:http/", "", "", `invalid URL "http://web:http/"`},
	{"http://web:1:2/", "", "", `invalid URL "http://web:1:2/"`},
	{"http://[::1/", "", "", `invalid URL "http://[::1/"`},
	{"http://[127.0.0.1]/", "", "", `invalid URL "http://[127.0.0.1]/"`},
	{"http://host name/", "", "", `invalid URL "http://host name/"`},
	{"http://web/a%zz", "", "", `invalid URL "http://web/a%zz": "%zz" is not a percent-escape (write "%" as %25)`},
	{"http://web:0/", "", "", `invalid address "web:0": port must be a number from 1 to 65535`},
	{"http://web:65536/", "", "", `invalid address "web:65536": port must be a number from 1 to 65535`},
	{"http://:8080/", "", "", `invalid address ":8080": host must be an IP address or a DNS name (at most 253 characters)`},
	{"http://my_web/", "", "", `invalid address "my_web:80": host must be an IP address or a DNS name (at most 253 characters)`},
	{"http://[fe80::1%25eth0]/", "", "", `invalid address "[fe80::1%eth0]:80": host must be an IP address or a DNS name (at most 253 characters)`},
	{"http://" + strings.Repeat("a", 254) + "/", "", "", `invalid address "` + strings.Repeat("a", 254) + `:80": host must be an IP address or a DNS name (at most 253 characters)`},
	{"http://web/" + strings.Repeat("a", 2048), "", "", "URL is longer than the limit of 2048 bytes"},
	// Refused now, where net/url escaped the path or let a query through
	// that a request line cannot hold.
	{"http://web/a b", "", "", `invalid URL "http://web/a b": percent-encode " " as %20`},
	{"http://web/?q=a b", "", "", `invalid URL "http://web/?q=a b": percent-encode " " as %20`},
	{"http://web/ü", "", "", `invalid URL "http://web/ü": percent-encode "ü" as %C3%BC`},
	{"http://web/?q=100%", "", "", `invalid URL "http://web/?q=100%": "%" is not a percent-escape (write "%" as %25)`},
}

// readHTTPURL reads text as the value of a health check's http key.
func readHTTPURL(text string) (rawURL, addr, problem string) {
	d := &decoder{}
	rawURL, addr, _ = value{d: d, v: text}.httpURL()
	for _, is := range d.issues {
		problem += is.Msg
	}
	return rawURL, addr, problem
}

func TestHTTPURL(t *testing.T) {
	for _, tt := range httpURLCases {
		if u, addr, problem := readHTTPURL(tt.text); u != tt.url || addr != tt.addr || problem != tt.problem {
			t.Errorf("http = %q: got %q, %q, %q; want %q, %q, %q", tt.text, u, addr, problem, tt.url, tt.addr, tt.problem)
		}
		if u, addr, problem := netURLHealth(tt.text); !isEscapeProblem(tt.text, tt.problem) &&
			(u != tt.url || addr != tt.addr || problem != tt.problem) {
			t.Errorf("http = %q with net/url: got %q, %q, %q; want %q, %q, %q", tt.text, u, addr, problem, tt.url, tt.addr, tt.problem)
		}
	}
}

// netURLHealth is httpURL as it was with net/url, which tinit no longer
// links.
func netURLHealth(text string) (rawURL, addr, problem string) {
	if len(text) > maxURLLen {
		return "", "", fmt.Sprintf("URL is longer than the limit of %d bytes", maxURLLen)
	}
	u, err := url.Parse(text)
	switch {
	case err != nil:
		return "", "", fmt.Sprintf("invalid URL %q", text)
	case u.Scheme == "https":
		return "", "", "https is not supported (the probe speaks plain HTTP); use tcp, or a command such as curl"
	case u.Scheme != "http" || u.Host == "" || u.Opaque != "":
		return "", "", fmt.Sprintf("invalid URL %q: want http://host:port/path", text)
	case u.User != nil || u.Fragment != "":
		return "", "", fmt.Sprintf("invalid URL %q: no user or #fragment", text)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	addr = net.JoinHostPort(u.Hostname(), port)
	if err := checkAddress(addr); err != nil {
		return "", "", err.Error()
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), addr, ""
}

// FuzzHTTPURL checks that the http key reads any text as it did with
// net/url: the same URL to store and address to dial, or the same
// problem. A URL whose path or query needs percent-encoding is refused
// now.
func FuzzHTTPURL(f *testing.F) {
	for _, tt := range httpURLCases {
		f.Add(tt.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		gotURL, gotAddr, got := readHTTPURL(text)
		wantURL, wantAddr, want := netURLHealth(text)
		switch {
		case isEscapeProblem(text, got):
			// Refused now, whatever net/url made of it.
		case got == fmt.Sprintf("invalid URL %q", text) && want != "":
			// Refused by both: net/url let through bytes that no host
			// holds ("http://a<b/", "http://bücher/", "%41" in a host or
			// zone), or colons in a host of another scheme than http,
			// to refuse them with another message.
		case gotURL != wantURL || gotAddr != wantAddr || got != want:
			t.Errorf("http = %q: got %q, %q, %q; net/url: %q, %q, %q", text, gotURL, gotAddr, got, wantURL, wantAddr, want)
		}
	})
}

// isEscapeProblem reports whether problem refuses text, a URL, for a
// byte of its path or query that needs percent-encoding.
func isEscapeProblem(text, problem string) bool {
	why, ok := strings.CutPrefix(problem, fmt.Sprintf("invalid URL %q: ", text))
	return ok && (strings.HasPrefix(why, "percent-encode ") || strings.HasSuffix(why, `is not a percent-escape (write "%" as %25)`))
}
func TestLineOfUnknownPath(t *testing.T) {
	_, err := parse("x.toml", []byte("[service.a]\ncommand = [\"/bin/true\"]\nafter = [\"b\"]\n"), noFiles)
	ce, ok := err.(*ConfigError)
	if !ok || len(ce.Problems) != 1 {
		t.Fatalf("parse: %v, want one problem", err)
	}
	if got, want := ce.Problems[0].Line, 3; got != want {
		t.Errorf("line of the unknown dependency: got %d, want %d", got, want)
	}
	if !strings.Contains(ce.Problems[0].Msg, `unknown service "b"`) {
		t.Errorf("message %q does not name the unknown service", ce.Problems[0].Msg)
	}
}

// noFiles is a readFile that finds no file.
func noFiles(path string) ([]byte, error) { return nil, os.ErrNotExist }
