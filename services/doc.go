// Package services turns a TOML configuration into validated services and a
// dependency graph, and runs the one supervisor loop that starts, watches,
// restarts and stops them.
//
// It creates processes only through the small interface it defines, so the
// loop is unit-tested with a fake; it imports nothing else of tinit.
//
// The configuration side (Parse, LoadFile, Graph and the value types such
// as Signal and RlimitResource) reads only the configuration file and the
// env files it names: it never starts a process, never logs, and never
// stops at the first problem, returning all of them as a *ConfigError.
// It builds on any OS; signal and rlimit numbers are Linux's.
// docs/config.md is its reference for users, kept true by tests.
package services
