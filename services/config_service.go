package services

import (
	"strings"
	"time"
)

// Service is one validated [service.NAME] table, with defaults filled in.
type Service struct {
	Name string
	Type ServiceType
	// Command is the argv. Command[0] is an absolute path, or a bare name
	// looked up in the PATH of the service's environment when it starts.
	Command []string

	// Env holds "KEY=VALUE" from env_file, then from env (env wins), without
	// tinit's own environment; Environ adds it.
	Env        []string
	InheritEnv bool      // start from tinit's environment (default true)
	WorkingDir string    // "" keeps tinit's
	User       *Account  // nil keeps tinit's
	Group      *Account  // nil: the user's primary group if User is set, else tinit's
	Groups     []Account // nil: the user's groups in /etc/group if User is set, else tinit's
	Umask      *Umask    // nil keeps tinit's
	Rlimits    []Rlimit  // sorted by resource
	NoNewPrivs bool

	// After, Requires and Wants are the lists as written, sorted. Graph
	// combines them: requires and wants imply after.
	After    []string
	Requires []string
	Wants    []string

	Ready       Readiness
	Restart     RestartPolicy
	SuccessExit ExitCodes // always holds exit code 0
	StopSignal  Signal
	StopTimeout time.Duration
	Health      *HealthCheck // nil: no health check

	Main     bool // its exit ends tinit, and gives tinit's exit code
	Critical bool // its failure (for good) ends tinit
	Autokill bool // the kernel kills it if tinit dies

	Cgroup   CgroupLimits
	Output   Output
	PreStart *Hook // nil: none
	PostStop *Hook // nil: none
}

// Environ returns the environment the service starts with: base (tinit's
// environment) unless InheritEnv is false, overridden by Env.
func (s *Service) Environ(base []string) []string {
	own := make(map[string]bool, len(s.Env))
	for _, kv := range s.Env {
		k, _, _ := strings.Cut(kv, "=")
		own[k] = true
	}
	var env []string
	if s.InheritEnv {
		env = make([]string, 0, len(base)+len(s.Env))
		for _, kv := range base {
			if k, _, _ := strings.Cut(kv, "="); !own[k] {
				env = append(env, kv)
			}
		}
	}
	return append(env, s.Env...)
}

// ServiceType is how a service runs and says it is ready.
type ServiceType int

// The service types.
const (
	TypeSimple  ServiceType = iota // runs until stopped; ready once started, or per ready_*
	TypeNotify                     // like simple, ready when it sends READY=1 to NOTIFY_SOCKET
	TypeOneshot                    // runs to completion; ready when it exits with success
)

var serviceTypeNames = enum{TypeSimple: "simple", TypeNotify: "notify", TypeOneshot: "oneshot"}

// String returns the type's name in the configuration.
func (t ServiceType) String() string { return serviceTypeNames.name(int(t)) }

// ReadyKind is how tinit learns that a service is ready.
type ReadyKind int

// The readiness methods.
const (
	ReadyStarted ReadyKind = iota // as soon as the program is executed
	ReadyNotify                   // READY=1 on NOTIFY_SOCKET (type notify)
	ReadyFD                       // a newline written to file descriptor FD (s6 style)
	ReadyTCP                      // Address accepts a TCP connection
	ReadyCommand                  // Command exits 0
	ReadyExit                     // the oneshot exited with success
)

var readyKindNames = enum{"started", "notify", "fd", "tcp", "command", "exit"}

// String names the method: "started", "notify", "fd", "tcp", "command", "exit".
func (k ReadyKind) String() string { return readyKindNames.name(int(k)) }

// Readiness says when a service counts as ready, which is when the
// services ordered after it may start.
type Readiness struct {
	Kind     ReadyKind
	FD       int           // ReadyFD: the descriptor the service writes to
	Address  string        // ReadyTCP: "host:port"
	Command  []string      // ReadyCommand: the probe's argv
	Interval time.Duration // ReadyTCP, ReadyCommand: between attempts
	// Timeout is how long readiness may take before the start counts as a
	// failure; 0 means no limit (a oneshot without ready_timeout).
	Timeout time.Duration
}

// RestartMode says when a service that ended is started again.
type RestartMode int

// The restart modes.
const (
	RestartNo        RestartMode = iota // never
	RestartOnFailure                    // when it failed
	RestartAlways                       // whenever it ended, unless tinit stopped it
)

var restartModeNames = enum{RestartNo: "no", RestartOnFailure: "on-failure", RestartAlways: "always"}

// String returns the mode's name in the configuration.
func (m RestartMode) String() string { return restartModeNames.name(int(m)) }

// RestartPolicy is when and how fast a service is restarted.
type RestartPolicy struct {
	Mode RestartMode
	// Delay is the wait before the first restart; each consecutive one
	// waits Backoff times longer, up to DelayMax.
	Delay    time.Duration
	DelayMax time.Duration
	Backoff  float64
	// ResetAfter is how long a run must last for the next restart to wait
	// Delay again.
	ResetAfter time.Duration
	// A service started more than StartLimitBurst times within
	// StartLimitInterval has failed for good. StartLimitBurst 0: no limit.
	StartLimitBurst    int
	StartLimitInterval time.Duration
}

// Restarts reports whether a service that ended, having failed or not, is
// to be started again (before the start limit is considered).
func (r RestartPolicy) Restarts(failed bool) bool {
	return r.Mode == RestartAlways || r.Mode == RestartOnFailure && failed
}

// DelayFor is the wait before restart number n+1 in a row (n from 0):
// Delay × Backoff^n, at most DelayMax.
func (r RestartPolicy) DelayFor(n int) time.Duration {
	d := float64(r.Delay)
	for i := 0; i < n && d < float64(r.DelayMax) && r.Backoff > 1; i++ {
		d *= r.Backoff
	}
	return time.Duration(min(d, float64(r.DelayMax)))
}

// HealthKind is what a health check probes.
type HealthKind int

// The health checks.
const (
	HealthCommand HealthKind = iota // Command exits 0
	HealthTCP                       // Address accepts a TCP connection
	HealthHTTP                      // a GET of URL answers a status in range
)

var healthKindNames = enum{"command", "tcp", "http"}

// String names the check as its key does: "command", "tcp", "http".
func (k HealthKind) String() string { return healthKindNames.name(int(k)) }

// HealthCheck probes a ready service every Interval. Retries failures in a
// row make the service fail: it is stopped, and restarted per its policy.
type HealthCheck struct {
	Kind     HealthKind
	Command  []string // HealthCommand
	Address  string   // HealthTCP, HealthHTTP: "host:port" to connect to
	URL      string   // HealthHTTP: the URL to GET, "http://host:port/path"
	StatusLo int      // HealthHTTP: lowest status that counts as healthy
	StatusHi int      // HealthHTTP: highest status that counts as healthy

	Interval    time.Duration
	Timeout     time.Duration // of one probe
	Retries     int
	StartPeriod time.Duration // after readiness, failures do not count yet
}

// OutputMode is where a service's stdout and stderr go.
type OutputMode int

// The output destinations.
const (
	OutputConsole OutputMode = iota // tinit's stdout and stderr, lines prefixed "name | "
	OutputFile                      // File, both streams, rotated at MaxSize
	OutputNull                      // /dev/null
)

var outputModeNames = enum{OutputConsole: "console", OutputFile: "file", OutputNull: "null"}

// String returns the destination's name in the configuration.
func (m OutputMode) String() string { return outputModeNames.name(int(m)) }

// Output is where a service's output goes. Both streams go to the same
// destination: on the console, stdout to tinit's stdout and stderr to
// tinit's stderr.
//
// Whatever the destination, the last lines are also kept in memory (at
// most RingLines lines and RingBytes bytes) for `tinit ctl logs`.
type Output struct {
	Mode      OutputMode
	File      string // OutputFile: absolute path
	MaxSize   int64  // OutputFile: size at which File is rotated
	MaxFiles  int    // OutputFile: rotated files kept (File.1 … File.N)
	RingLines int    // 0: no lines kept in memory
	RingBytes int64
}

// Hook is a command run before a service starts or after it stopped, with
// the service's environment, credentials and working directory.
type Hook struct {
	Command []string
	Timeout time.Duration
}
