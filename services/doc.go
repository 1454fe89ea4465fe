// Package services turns a TOML configuration into validated services and a
// dependency graph, and runs the one supervisor loop that starts, watches,
// restarts and stops them.
//
// It creates processes only through the small interface it defines, so the
// loop is unit-tested with a fake; it imports nothing else of tinit.
package services
