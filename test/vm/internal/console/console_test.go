package console

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		line string
		want any
	}{
		{"TINIT-VM START kernel=6.1 release=6.1.0-50-cloud-amd64 tier=pidfd uptime=2.41 tests=2",
			Start{"6.1", "6.1.0-50-cloud-amd64", "pidfd", 2.41, 2}},
		{"TINIT-VM START kernel=7.x release=7.2 tier=autoreap uptime=unknown tests=1",
			Start{"7.x", "7.2", "autoreap", -1, 1}},
		{"TINIT-VM BEGIN init", Begin{"init"}},
		{"[    3.1] random: crng init doneTINIT-VM BEGIN reaper\r", Begin{"reaper"}},
		{"TINIT-VM END init exit=1 seconds=0.12", End{"init", 1, 0.12}},
		{"TINIT-VM DONE exit=1 passed=1 failed=1", Done{1, 1, 1}},
		{"=== RUN   TestGuestMounts", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got, err := Parse(tt.line)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q): got %#v, %v; want %#v", tt.line, got, err, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ line, want string }{
		{"TINIT-VM ", "no verb"},
		{"TINIT-VM HELLO", `unknown verb "HELLO"`},
		{"TINIT-VM BEGIN", "BEGIN: want a name"},
		{"TINIT-VM END x exit=a seconds=1", "END: exit:"},
		{"TINIT-VM END x seconds=1 exit=0", `field 1: got "seconds=1", want exit=`},
		{"TINIT-VM DONE exit=0 passed=1", "got 2 fields, want exit= passed= failed="},
		{"TINIT-VM START kernel=a release=b tier=c uptime=-3 tests=1", "START: uptime:"},
		{"TINIT-VM START kernel=a release=b tier=c uptime=NaN tests=1", "START: uptime:"},
		{"TINIT-VM START kernel=a release=b tier=c uptime=+Inf tests=1", "START: uptime:"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.line)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q): got error %v, want one containing %q", tt.line, err, tt.want)
		}
	}
}

// FuzzParse checks that Parse never panics and that what it parses prints
// back to a line that parses the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		Start{"6.1", "6.1.0", "pidfd", 2.41, 2}.String(),
		Begin{"init"}.String(),
		End{"init", 0, 1.5}.String(),
		Done{0, 2, 0}.String(),
		"junk TINIT-VM END x exit=1 seconds=unknown",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		ev, err := Parse(line)
		if err != nil || ev == nil {
			return
		}
		again, err := Parse(ev.(interface{ String() string }).String())
		if err != nil || !reflect.DeepEqual(roundSeconds(again), roundSeconds(ev)) {
			t.Errorf("Parse(%q) = %#v; printed and parsed again: %#v, %v", line, ev, again, err)
		}
	})
}

// roundSeconds drops what String's two decimals cannot keep.
func roundSeconds(ev any) any {
	r := func(s float64) float64 {
		if s < 0 {
			return -1
		}
		return float64(int64(s*100+0.5)) / 100
	}
	switch e := ev.(type) {
	case Start:
		e.Uptime = r(e.Uptime)
		return e
	case End:
		e.Seconds = r(e.Seconds)
		return e
	}
	return ev
}
