// Package probe checks, without starting a process, whether a service is
// ready or healthy: a TCP connection it accepts, an HTTP status it
// answers, and Poll to retry either until it succeeds or time runs out.
//
// Every probe is bounded by its context; none reads more than it needs
// (an HTTP probe reads the status line only, then closes the connection).
// HTTP probes never reuse connections, never use a proxy from the
// environment and never follow redirects: they test the service itself.
//
// Command probes need processes and belong to the supervisor, which starts
// them through the reaper. This package never logs and imports no other
// tinit package.
package probe
