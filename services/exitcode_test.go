package services

import "testing"

func TestExitStatus(t *testing.T) {
	tests := []struct {
		e    ExitStatus
		code int
		str  string
	}{
		{ExitStatus{Code: 0}, 0, "exit code 0"},
		{ExitStatus{Code: 3}, 3, "exit code 3"},
		{ExitStatus{Signal: SIGTERM}, 143, "killed by SIGTERM"},
		{ExitStatus{Signal: SIGKILL}, 137, "killed by SIGKILL"},
	}
	for _, tt := range tests {
		if got := tt.e.ExitCode(); got != tt.code {
			t.Errorf("%+v.ExitCode() = %d, want %d", tt.e, got, tt.code)
		}
		if got := tt.e.String(); got != tt.str {
			t.Errorf("%+v.String() = %q, want %q", tt.e, got, tt.str)
		}
	}
}

func TestExitCodes(t *testing.T) {
	var s ExitCodes
	s.AddCode(0)
	s.AddCode(255)
	s.AddCode(64)
	s.AddCode(256) // ignored
	s.AddCode(-1)  // ignored
	s.AddSignal(SIGTERM)
	s.AddSignal(64)
	s.AddSignal(0) // ignored
	for _, tt := range []struct {
		e    ExitStatus
		want bool
	}{
		{ExitStatus{Code: 0}, true}, {ExitStatus{Code: 255}, true}, {ExitStatus{Code: 64}, true},
		{ExitStatus{Code: 1}, false}, {ExitStatus{Code: 63}, false}, {ExitStatus{Code: 256}, false}, {ExitStatus{Code: -1}, false},
		{ExitStatus{Signal: SIGTERM}, true}, {ExitStatus{Signal: 64}, true}, {ExitStatus{Signal: SIGKILL}, false},
		{ExitStatus{Signal: 65}, false},
	} {
		if got := s.Contains(tt.e); got != tt.want {
			t.Errorf("Contains(%+v) = %v, want %v", tt.e, got, tt.want)
		}
	}
	if got, want := s.String(), "0 64 255 SIGTERM SIGRTMAX"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestExitPolicy(t *testing.T) {
	term := ExitStatus{Signal: SIGTERM}
	three, zero, two := ExitStatus{Code: 3}, ExitStatus{Code: 0}, ExitStatus{Code: 2}
	tests := []struct {
		name string
		p    ExitPolicy
		o    Outcome
		want int
	}{
		{"main exits 3", ExitMain, Outcome{Main: &three}, 3},
		{"main killed by SIGTERM", ExitMain, Outcome{Main: &term}, 143},
		{"main exits 0 after failures", ExitMain, Outcome{Main: &zero, Failures: []ExitStatus{two}}, 0},
		{"main never ran", ExitMain, Outcome{Failures: []ExitStatus{two, three}}, 2},
		{"critical wins over main", ExitMain, Outcome{Main: &zero, Critical: &three}, 3},
		{"critical wins over max", ExitMax, Outcome{Critical: &two, Failures: []ExitStatus{three, two}}, 2},
		{"first failure", ExitFirstFailure, Outcome{Failures: []ExitStatus{two, three}}, 2},
		{"first failure: none", ExitFirstFailure, Outcome{}, 0},
		{"max", ExitMax, Outcome{Failures: []ExitStatus{two, term, three}}, 143},
		{"max: none", ExitMax, Outcome{Main: &three}, 0},
		{"zero", ExitZero, Outcome{Main: &three, Critical: &two, Failures: []ExitStatus{three}}, 0},
		{"a failure is never 0", ExitFirstFailure, Outcome{Failures: []ExitStatus{zero}}, 1},
	}
	for _, tt := range tests {
		if got := tt.p.ExitCode(tt.o); got != tt.want {
			t.Errorf("%s: %v.ExitCode() = %d, want %d", tt.name, tt.p, got, tt.want)
		}
	}
	if got := ExitPolicy(0).String(); got != "0" {
		t.Errorf("ExitPolicy(0).String() = %q", got)
	}
}
