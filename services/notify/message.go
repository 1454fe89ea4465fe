package notify

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDatagram is the longest notification accepted, in bytes. Longer
// datagrams are rejected rather than cut, so that a truncated STATUS or a
// lost READY=1 cannot be mistaken for the message that was sent.
const MaxDatagram = 4096

// Message is one accepted notification and who sent it.
type Message struct {
	PID int32  // sender's pid, from the kernel (SCM_CREDENTIALS)
	UID uint32 // sender's uid, from the kernel
	GID uint32 // sender's gid, from the kernel

	Ready           bool          // READY=1
	Stopping        bool          // STOPPING=1
	Reloading       bool          // RELOADING=1
	Watchdog        bool          // WATCHDOG=1: a keep-alive ping
	WatchdogTrigger bool          // WATCHDOG=trigger: act as if the watchdog expired
	Status          string        // STATUS=
	HasStatus       bool          // STATUS= was sent, possibly empty to clear it
	MainPID         int32         // MAINPID=, 0 when not sent
	Errno           int           // ERRNO=, 0 when not sent
	ExtendTimeout   time.Duration // EXTEND_TIMEOUT_USEC=, 0 when not sent
	ClosedFDs       int           // fds that came along and were closed
}

// keyParsers set the field of each key the package knows.
var keyParsers = map[string]func(m *Message, v string) error{
	"READY":     flag(func(m *Message) { m.Ready = true }),
	"STOPPING":  flag(func(m *Message) { m.Stopping = true }),
	"RELOADING": flag(func(m *Message) { m.Reloading = true }),
	"STATUS": func(m *Message, v string) error {
		m.Status, m.HasStatus = v, true
		return nil
	},
	"WATCHDOG":            parseWatchdog,
	"MAINPID":             parseMainPID,
	"ERRNO":               parseErrno,
	"EXTEND_TIMEOUT_USEC": parseExtend,
}

var (
	errEmpty   = errors.New("empty datagram")
	errNUL     = errors.New("datagram holds a NUL byte")
	errUTF8    = errors.New("datagram is not valid UTF-8")
	errTooLong = fmt.Errorf("datagram longer than %d bytes", MaxDatagram)
	errNoCreds = errors.New("datagram without sender credentials")
)

// Parse parses the text of a notification datagram: newline-separated
// KEY=VALUE assignments. The credentials are left zero.
func Parse(b []byte) (Message, error) {
	var m Message
	switch {
	case len(b) == 0:
		return m, errEmpty
	case len(b) > MaxDatagram:
		return m, errTooLong
	case bytes.IndexByte(b, 0) >= 0:
		return m, errNUL
	case !utf8.Valid(b):
		return m, errUTF8
	}
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		if err := m.assign(string(line)); err != nil {
			return Message{}, err
		}
	}
	return m, nil
}

func (m *Message) assign(line string) error {
	if line == "" {
		return nil
	}
	key, value, ok := strings.Cut(line, "=")
	if !ok || key == "" {
		return fmt.Errorf("line %q is not KEY=VALUE", line)
	}
	if parse, known := keyParsers[key]; known {
		if err := parse(m, value); err != nil {
			return fmt.Errorf("%s=%q: %w", key, value, err)
		}
	}
	return nil
}

func flag(set func(*Message)) func(*Message, string) error {
	return func(m *Message, v string) error {
		if v != "1" {
			return errors.New("want 1")
		}
		set(m)
		return nil
	}
}

func parseWatchdog(m *Message, v string) error {
	switch v {
	case "1":
		m.Watchdog = true
	case "trigger":
		m.WatchdogTrigger = true
	default:
		return errors.New("want 1 or trigger")
	}
	return nil
}

func parseMainPID(m *Message, v string) error {
	pid, err := strconv.ParseInt(v, 10, 32)
	if err != nil || pid <= 0 {
		return errors.New("not a pid")
	}
	m.MainPID = int32(pid)
	return nil
}

func parseErrno(m *Message, v string) error {
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n < 0 {
		return errors.New("not an errno")
	}
	m.Errno = int(n)
	return nil
}

func parseExtend(m *Message, v string) error {
	usec, err := strconv.ParseUint(v, 10, 64)
	if err != nil || usec > math.MaxInt64/uint64(time.Microsecond) {
		return errors.New("not a number of microseconds")
	}
	m.ExtendTimeout = time.Duration(usec) * time.Microsecond
	return nil
}
