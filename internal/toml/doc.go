// Package toml decodes TOML 1.1 documents into plain Go values and keeps
// the line where each key and table was defined, so that a configuration
// error can point at the line that caused it.
//
// It owns the TOML syntax and the rules on defining keys and tables once.
// It must never know what the keys mean (its callers do), use reflection,
// or panic or recurse without bound on any input: every error is an
// *Error with a line, and Limits bound what an untrusted document costs.
package toml
