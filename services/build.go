package services

import (
	"errors"
	"fmt"
)

// NewService returns a service as a configuration file with only name and
// command would give it: a simple service, ready once started, restarted
// on failure (not when main, which the caller may set after), stopped with
// SIGTERM and a 10s timeout, its output on the console. Programs that
// build their configuration, as single-command mode does, start from it.
func NewService(name string, command []string) *Service {
	s := newService(name)
	s.Command = command
	s.Restart = RestartPolicy{
		Mode: RestartOnFailure, Delay: defaultRestartDelay, DelayMax: defaultRestartDelayMax,
		Backoff: defaultRestartBackoff, ResetAfter: defaultRestartResetAfter,
		StartLimitBurst: defaultStartLimitBurst, StartLimitInterval: defaultStartLimitInterval,
	}
	s.Output = Output{Mode: OutputConsole, RingLines: defaultRingLines, RingBytes: defaultRingSize}
	return s
}

// DefaultSettings returns the [tinit] settings of a file without one,
// with exit code policy "first-failure" (NewConfig picks "main" when a
// service is main and the policy is unset).
func DefaultSettings() Settings {
	s := defaultSettings()
	s.ExitCode = ExitFirstFailure
	return s
}

// NewConfig makes a Config of services built by a program: it sorts them,
// builds their graph, and, when settings.ExitCode is 0, picks the
// policy a file would get. It checks what the supervisor relies on (a
// command, distinct names, known dependencies, no cycle, one main), not
// every limit of a configuration file.
func NewConfig(settings Settings, services ...*Service) (*Config, error) {
	var errs []error
	mains := 0
	for _, s := range services {
		if len(s.Command) == 0 {
			errs = append(errs, fmt.Errorf("service %q: no command", s.Name))
		}
		if s.Main {
			mains++
		}
	}
	if mains > 1 {
		errs = append(errs, fmt.Errorf("%d services are main; at most one may be", mains))
	}
	g, err := NewGraph(services)
	if err := errors.Join(append(errs, err)...); err != nil {
		return nil, fmt.Errorf("new config: %w", err)
	}
	if settings.ExitCode == 0 {
		settings.ExitCode = defaultExitPolicy(mains)
	}
	return &Config{File: "(built)", Tinit: settings, Services: g.services, Graph: g}, nil
}

// defaultExitPolicy is the exit_code of a configuration that sets none:
// "main" when a service is main, else "first-failure".
func defaultExitPolicy(mains int) ExitPolicy {
	if mains > 0 {
		return ExitMain
	}
	return ExitFirstFailure
}
