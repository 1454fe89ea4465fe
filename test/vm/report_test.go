package vm

import (
	"reflect"
	"strings"
	"testing"
)

func reportOf(lines ...string) report {
	var r report
	for _, l := range lines {
		r.add(l + "\r\n")
	}
	return r
}

func TestReport(t *testing.T) {
	r := reportOf(
		"[    0.000000] Linux version 6.1.0",
		"TINIT-VM START kernel=6.1 release=6.1.0 tier=pidfd uptime=2.50 tests=2",
		"TINIT-VM BEGIN reaper",
		"=== RUN   TestSpawn",
		"--- PASS: TestSpawn (0.01s)",
		"TINIT-VM END reaper exit=0 seconds=1.00",
		"TINIT-VM BEGIN init",
		"    --- FAIL: TestGuestMounts/sub (0.00s)",
		"--- FAIL: TestGuestMounts (0.00s)",
		"FAIL",
		"TINIT-VM END init exit=1 seconds=0.50",
		"TINIT-VM DONE exit=1 passed=1 failed=1",
		"[    5.000000] reboot: Power down",
	)
	if len(r.Errors) != 0 || r.Start == nil || r.Start.Uptime != 2.5 || r.Done == nil || r.Done.Failed != 1 {
		t.Fatalf("got %+v", r)
	}
	if len(r.Lines) != 13 || strings.HasSuffix(r.Lines[0], "\r") {
		t.Errorf("got %d lines %q, want 13 without \\r", len(r.Lines), r.Lines)
	}
	init := r.test("init")
	if init == nil || init.End.Exit != 1 || len(init.Output) != 3 {
		t.Fatalf("got init %+v", init)
	}
	if got, want := failedTests(init.Output), []string{"TestGuestMounts/sub", "TestGuestMounts"}; !reflect.DeepEqual(got, want) {
		t.Errorf("failedTests: got %q, want %q", got, want)
	}
	if got, want := summaryLines(r.test("reaper").Output), []string{"--- PASS: TestSpawn (0.01s)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("summaryLines: got %q, want %q", got, want)
	}
	if r.test("services") != nil {
		t.Error("test(services): got a test that never ran")
	}
}

func TestFailedTestsTimeout(t *testing.T) {
	out := []string{
		"=== RUN   TestRaceTorture",
		"--- FAIL: TestEarlier (0.10s)",
		"panic: test timed out after 3m0s",
		"\trunning tests:",
		"\t\tTestRaceTorture (1m50s)",
		"\t\tTestRaceTorture/storm (3s)",
		"",
		"goroutine 186 [running]:",
	}
	want := []string{"TestEarlier", "TestRaceTorture (timed out)", "TestRaceTorture/storm (timed out)"}
	if got := failedTests(out); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReportOutOfOrder(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"TINIT-VM BEGIN a", "TINIT-VM BEGIN b"}, "BEGIN b while a runs"},
		{[]string{"TINIT-VM END a exit=0 seconds=1"}, "END a without its BEGIN"},
		{[]string{"TINIT-VM START kernel=a release=b tier=c uptime=1 tests=1", "TINIT-VM START kernel=a release=b tier=c uptime=1 tests=1"}, "second START"},
		{[]string{"TINIT-VM FOO"}, `unknown verb "FOO"`},
	}
	for _, tt := range tests {
		r := reportOf(tt.lines...)
		if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), tt.want) {
			t.Errorf("%q: got errors %v, want one containing %q", tt.lines, r.Errors, tt.want)
		}
	}
}

func TestReportUnfinished(t *testing.T) {
	r := reportOf("TINIT-VM BEGIN reaper", "=== RUN   TestHang")
	if g := r.test("reaper"); g == nil || g.End != nil || len(g.Output) != 1 {
		t.Errorf("got %+v, want reaper begun, not ended, one line of output", g)
	}
}
