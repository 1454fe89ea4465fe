package main

import (
	"fmt"
	"io"
	"sync"
)

// logger writes tinit's own lines, each prefixed "tinit: ". Errors and
// warnings always print; the rest only at the verbosity asked for.
type logger struct {
	mu    sync.Mutex
	w     io.Writer
	level int
}

func (l *logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "tinit: "+format+"\n", args...)
}

func (l *logger) errorf(format string, args ...any) { l.printf(format, args...) }
func (l *logger) warnf(format string, args ...any)  { l.printf("warning: "+format, args...) }

func (l *logger) infof(format string, args ...any) {
	if l.level >= 1 {
		l.printf(format, args...)
	}
}

func (l *logger) debugf(format string, args ...any) {
	if l.level >= 2 {
		l.printf(format, args...)
	}
}
