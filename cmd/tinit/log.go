package main

import (
	"fmt"
	"io"

	"github.com/tinit/tinit/services/output"
)

// logger writes tinit's own lines outside the supervisor's messages, each
// prefixed "tinit: ". Errors and warnings always print; the rest only at
// the verbosity asked for. In single-command mode the supervisor writes
// through the same output.Log, so the two never interleave.
type logger struct {
	out *output.Log
}

// newLogger writes to w at verbosity v: warnings and errors, then -v
// info, -vv debug, -vvv all.
func newLogger(w io.Writer, v int) *logger {
	return &logger{out: output.NewLog(w, output.Text, output.LogOptions{Level: louder(output.LevelWarn, v), HideService: true})}
}

// louder is level lowered by v steps of -v, each one level more.
func louder(level output.Level, v int) output.Level { return level - output.Level(4*v) }

func (l *logger) logf(level output.Level, format string, args ...any) {
	if l.out.Enabled(level) {
		l.out.Log(level, "", fmt.Sprintf(format, args...))
	}
}

// printf writes a line that always prints and is no warning.
func (l *logger) printf(format string, args ...any) { l.logf(output.LevelError, format, args...) }
func (l *logger) errorf(format string, args ...any) { l.logf(output.LevelError, format, args...) }
func (l *logger) warnf(format string, args ...any)  { l.logf(output.LevelWarn, format, args...) }
func (l *logger) infof(format string, args ...any)  { l.logf(output.LevelInfo, format, args...) }
func (l *logger) debugf(format string, args ...any) { l.logf(output.LevelDebug, format, args...) }
