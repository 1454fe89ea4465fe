package services

import "time"

// The limits of everything a configuration controls. Going beyond one is
// an error that names the limit; docs/config.md lists them all.
const (
	maxConfigSize    = 4 << 20 // bytes of the configuration file
	maxServices      = 4096
	maxNameLen       = 64 // bytes of a service name
	maxArgs          = 1024
	maxArgBytes      = 256 << 10 // argv, counting a NUL after each argument
	maxPath          = 4095      // PATH_MAX without its NUL
	maxSocketPath    = 107       // sun_path without its NUL
	maxEnvVars       = 4096
	maxEnvBytes      = 1 << 20 // env_file and env together, "KEY=VALUE\0" each
	maxEnvFileSize   = 1 << 20
	maxGroups        = 64
	maxDeps          = maxServices // names in one of after, requires, wants
	maxExitCodes     = 256 + int(MaxSignal)
	maxReadyFD       = 1023
	maxHostLen       = 253
	maxURLLen        = 2048
	maxRestartBurst  = 10000
	maxRetries       = 100
	maxOutputFiles   = 100
	minOutputSize    = 4 << 10
	maxOutputSize    = 1 << 30
	maxRingLines     = 100000
	minRingSize      = 1 << 10
	maxRingSize      = 64 << 20
	minMemoryMax     = 1 << 20
	maxMemoryMax     = 1 << 60
	maxPids          = 4194304 // PID_MAX_LIMIT
	maxRestartFactor = 10.0
)

// Bounds of the durations.
const (
	maxStopTimeout  = time.Hour
	maxHookTimeout  = time.Hour
	maxReadyTimeout = 24 * time.Hour
	minInterval     = 10 * time.Millisecond
	maxInterval     = 24 * time.Hour
	maxRestartDelay = time.Hour
	maxLongPeriod   = 24 * time.Hour
)

// Defaults of the durations and counts a service leaves out.
const (
	defaultShutdownTimeout    = 10 * time.Second
	defaultControlSocket      = "/run/tinit/control.sock"
	defaultStopTimeout        = 10 * time.Second
	defaultReadyTimeout       = 60 * time.Second
	defaultReadyInterval      = 500 * time.Millisecond
	defaultRestartDelay       = 100 * time.Millisecond
	defaultRestartDelayMax    = 30 * time.Second
	defaultRestartBackoff     = 2.0
	defaultRestartResetAfter  = 60 * time.Second
	defaultStartLimitBurst    = 10
	defaultStartLimitInterval = 60 * time.Second
	defaultHookTimeout        = 30 * time.Second
	defaultHealthInterval     = 10 * time.Second
	defaultHealthTimeout      = 5 * time.Second
	defaultHealthRetries      = 3
	defaultOutputMaxSize      = 10 << 20
	defaultOutputMaxFiles     = 5
	defaultRingLines          = 500
	defaultRingSize           = 256 << 10
)
