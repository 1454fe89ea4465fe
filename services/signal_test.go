package services

import (
	"os"
	"syscall"
	"testing"
)

func TestParseSignal(t *testing.T) {
	tests := []struct {
		in   string
		want Signal
		ok   bool
	}{
		{"SIGTERM", 15, true},
		{"TERM", 15, true},
		{"sigterm", 15, true},
		{"term", 15, true},
		{"15", 15, true},
		{"SIG15", 15, true},
		{"SIGKILL", 9, true},
		{"SIGIOT", 6, true},
		{"CLD", 17, true},
		{"SIGPOLL", 29, true},
		{"SIGRTMIN", 34, true},
		{"SIGRTMIN+3", 37, true},
		{"RTMIN+30", 64, true},
		{"SIGRTMAX", 64, true},
		{"SIGRTMAX-2", 62, true},
		{"SIGRTMAX-30", 34, true},
		{"64", 64, true},
		{"1", 1, true},
		{"0", 0, false},
		{"65", 0, false},
		{"-1", 0, false},
		{"", 0, false},
		{"SIG", 0, false},
		{"SIGFOO", 0, false},
		{"SIGRTMIN+31", 0, false},
		{"SIGRTMAX-31", 0, false},
		{"SIGRTMIN-1", 0, false},
		{"SIGRTMAX+1", 0, false},
		{"SIGRTMIN+", 0, false},
		{"SIGRTMIN++1", 0, false},
		{"SIG+5", 0, false},
		{"SIGTERM ", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSignal(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSignal(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestSignalString(t *testing.T) {
	tests := []struct {
		sig  Signal
		want string
	}{
		{1, "SIGHUP"}, {9, "SIGKILL"}, {15, "SIGTERM"}, {31, "SIGSYS"}, {32, "SIG32"}, {33, "SIG33"},
		{34, "SIGRTMIN"}, {35, "SIGRTMIN+1"}, {49, "SIGRTMIN+15"}, {50, "SIGRTMAX-14"}, {63, "SIGRTMAX-1"},
		{64, "SIGRTMAX"}, {0, "Signal(0)"}, {65, "Signal(65)"}, {-3, "Signal(-3)"},
	}
	for _, tt := range tests {
		if got := tt.sig.String(); got != tt.want {
			t.Errorf("Signal(%d).String() = %q, want %q", int(tt.sig), got, tt.want)
		}
	}
}

// TestSignalRoundTrip checks that every valid signal parses back from its
// name.
func TestSignalRoundTrip(t *testing.T) {
	for s := Signal(1); s <= MaxSignal; s++ {
		got, err := ParseSignal(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSignal(%q) = %v, %v; want %d", s.String(), got, err, int(s))
		}
	}
}

func FuzzParseSignal(f *testing.F) {
	for _, s := range []string{"SIGTERM", "15", "RTMIN+3", "SIGRTMAX-1", "sigHup", "SIG32"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSignal(text)
		if err != nil {
			return
		}
		if !s.Valid() {
			t.Fatalf("ParseSignal(%q) = %d, not a valid signal", text, int(s))
		}
		if back, err := ParseSignal(s.String()); err != nil || back != s {
			t.Fatalf("ParseSignal(%q) = %v, %v; want %d", s.String(), back, err, int(s))
		}
	})
}

// otherSignal is an os.Signal that is neither a Signal nor a syscall.Signal.
type otherSignal struct{}

func (otherSignal) String() string { return "other" }
func (otherSignal) Signal()        {}

func TestSignalOf(t *testing.T) {
	for _, tt := range []struct {
		in       os.Signal
		want     Signal
		wantSent bool
	}{
		{syscall.SIGTERM, SIGTERM, false}, {os.Interrupt, SIGINT, false}, {SIGHUP, SIGHUP, false},
		{Signal(40), 40, false}, {Forwarded(SIGUSR1), SIGUSR1, true}, {otherSignal{}, 0, false},
	} {
		if got, sent := signalOf(tt.in); got != tt.want || sent != tt.wantSent {
			t.Errorf("signalOf(%v) = %v, %v, want %v, %v", tt.in, got, sent, tt.want, tt.wantSent)
		}
	}
}
