package notify

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Message
		wantErr string
	}{
		{in: "READY=1", want: Message{Ready: true}},
		{in: "READY=1\nSTATUS=serving 3 clients\n", want: Message{Ready: true, Status: "serving 3 clients", HasStatus: true}},
		{in: "STATUS=", want: Message{HasStatus: true}},
		{in: "STATUS=a=b", want: Message{Status: "a=b", HasStatus: true}},
		{in: "STOPPING=1\nRELOADING=1", want: Message{Stopping: true, Reloading: true}},
		{in: "WATCHDOG=1", want: Message{Watchdog: true}},
		{in: "WATCHDOG=trigger", want: Message{WatchdogTrigger: true}},
		{in: "MAINPID=4242", want: Message{MainPID: 4242}},
		{in: "ERRNO=2", want: Message{Errno: 2}},
		{in: "EXTEND_TIMEOUT_USEC=5000000", want: Message{ExtendTimeout: 5 * time.Second}},
		{in: "X_CUSTOM=1\nFDSTORE=1\nBARRIER=1\nlower=ok", want: Message{}},
		{in: "STATUS=one\nSTATUS=two", want: Message{Status: "two", HasStatus: true}},
		{in: "\n\nREADY=1\n\n", want: Message{Ready: true}},
		{in: "STATUS=é ok", want: Message{Status: "é ok", HasStatus: true}},
		{in: "", wantErr: "empty"},
		{in: "READY=0", wantErr: `READY="0": want 1`},
		{in: "READY", wantErr: `line "READY" is not KEY=VALUE`},
		{in: "=1", wantErr: "not KEY=VALUE"},
		{in: "WATCHDOG=now", wantErr: "want 1 or trigger"},
		{in: "MAINPID=0", wantErr: "not a pid"},
		{in: "MAINPID=-3", wantErr: "not a pid"},
		{in: "MAINPID=99999999999", wantErr: "not a pid"},
		{in: "MAINPID=12x", wantErr: "not a pid"},
		{in: "ERRNO=-1", wantErr: "not an errno"},
		{in: "EXTEND_TIMEOUT_USEC=18446744073709551615", wantErr: "not a number of microseconds"},
		{in: "READY=1\x00", wantErr: "NUL"},
		{in: "STATUS=\xff", wantErr: "UTF-8"},
		{in: "READY=1\n" + strings.Repeat("x", MaxDatagram), wantErr: "longer than"},
	}
	for _, tt := range tests {
		got, err := Parse([]byte(tt.in))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%.40q): got error %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q): got %+v, %v, want %+v", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParse checks that Parse never panics, accepts or rejects whole, and
// that what it accepts round-trips through the keys it knows.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"READY=1\nSTATUS=x", "MAINPID=1\nERRNO=0", "WATCHDOG=trigger", "=\n=", "EXTEND_TIMEOUT_USEC=1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			if m != (Message{}) {
				t.Fatalf("rejected datagram gave a message %+v", m)
			}
			return
		}
		again, err := Parse([]byte(render(m)))
		if err != nil || again != m {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", b, m, render(m), again, err)
		}
	})
}

// render writes a message back in the protocol, for the round trip.
func render(m Message) string {
	var b strings.Builder
	b.WriteString("\n")
	for _, kv := range []struct {
		on   bool
		line string
	}{
		{m.Ready, "READY=1"}, {m.Stopping, "STOPPING=1"}, {m.Reloading, "RELOADING=1"},
		{m.Watchdog, "WATCHDOG=1"}, {m.WatchdogTrigger, "WATCHDOG=trigger"},
		{m.HasStatus, "STATUS=" + m.Status},
		{m.MainPID != 0, "MAINPID=" + itoa(int64(m.MainPID))},
		{m.Errno != 0, "ERRNO=" + itoa(int64(m.Errno))},
		{m.ExtendTimeout != 0, "EXTEND_TIMEOUT_USEC=" + itoa(m.ExtendTimeout.Microseconds())},
	} {
		if kv.on {
			b.WriteString(kv.line + "\n")
		}
	}
	return b.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDatagramError(t *testing.T) {
	err := error(&DatagramError{PID: 7, UID: 1000, Err: errNoCreds})
	if !errors.Is(err, errNoCreds) || err.Error() != "reject notification from pid 7 (uid 1000): datagram without sender credentials" {
		t.Errorf("got %q", err)
	}
}
