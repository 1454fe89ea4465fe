package output

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Level is the severity of one of tinit's own messages. The values are
// log/slog's, so that each -v lowers the threshold by the same step of 4.
type Level int

// The levels, least severe first.
const (
	LevelDebug Level = -4
	LevelInfo  Level = 0
	LevelWarn  Level = 4
	LevelError Level = 8
)

// String is the level's name as a JSON record carries it: "DEBUG", "INFO",
// "WARN", "ERROR", or the nearest below with an offset ("INFO+2").
func (l Level) String() string {
	name, base := "DEBUG", LevelDebug
	switch {
	case l >= LevelError:
		name, base = "ERROR", LevelError
	case l >= LevelWarn:
		name, base = "WARN", LevelWarn
	case l >= LevelInfo:
		name, base = "INFO", LevelInfo
	}
	switch {
	case l == base:
		return name
	case l > base:
		name += "+"
	}
	return name + strconv.Itoa(int(l-base))
}

// Log writes tinit's own messages, each with one Write under a mutex. In
// Text format a message is "tinit: [warning: ][service: ]message"; in JSON
// it is {"time":…,"level":"INFO","msg":…,"service":…}, the service left out
// when the message is about none. A nil *Log writes nothing.
//
// It is the supervisor's logger and cmd/tinit's: tinit carries no log/slog,
// whose handlers and encoding/json cost a tenth of its binary.
type Log struct {
	mu          sync.Mutex
	w           io.Writer
	format      Format
	level       Level
	hideService bool
	buf         []byte
	now         func() time.Time
}

// LogOptions adjust a Log.
type LogOptions struct {
	// Level is the least severe level written.
	Level Level
	// HideService leaves the service's name out of Text lines: tinit's
	// single-command mode has just the one.
	HideService bool
}

// NewLog returns a Log writing to w in format.
func NewLog(w io.Writer, format Format, opt LogOptions) *Log {
	return &Log{w: w, format: format, level: opt.Level, hideService: opt.HideService, now: time.Now}
}

// Enabled reports whether a message of level would be written.
func (l *Log) Enabled(level Level) bool { return l != nil && level >= l.level }

// Log writes msg at level, about service ("" for none), if the level is
// enabled. A failing write is dropped: there is nowhere left to report it.
func (l *Log) Log(level Level, service, msg string) {
	if !l.Enabled(level) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.format == JSON {
		l.buf = appendJSONLog(l.buf[:0], l.now(), level, service, msg)
	} else {
		if l.hideService {
			service = ""
		}
		l.buf = appendTextLog(l.buf[:0], level, service, msg)
	}
	l.w.Write(l.buf)
	if cap(l.buf) > maxKeptBuf {
		l.buf = nil
	}
}

// appendTextLog appends "tinit: [warning: ][service: ]msg\n".
func appendTextLog(dst []byte, level Level, service, msg string) []byte {
	dst = append(dst, "tinit: "...)
	if level >= LevelWarn && level < LevelError {
		dst = append(dst, "warning: "...)
	}
	if service != "" {
		dst = append(append(dst, service...), ": "...)
	}
	dst = append(dst, msg...)
	return append(dst, '\n')
}

// appendJSONLog appends one JSON record of tinit's and its newline.
func appendJSONLog(dst []byte, now time.Time, level Level, service, msg string) []byte {
	dst = append(dst, `{"time":"`...)
	dst = now.UTC().AppendFormat(dst, jsonTimeLayout)
	dst = append(dst, `","level":"`...)
	dst = append(dst, level.String()...)
	dst = append(dst, `","msg":`...)
	dst = appendJSONString(dst, []byte(msg))
	if service != "" {
		dst = append(dst, `,"service":`...)
		dst = appendJSONString(dst, []byte(service))
	}
	return append(dst, "}\n"...)
}

// Count writes n and noun for a message, the noun plural unless n is 1:
// "1 service", "2 services", "3 processes".
func Count(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
