package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tinit/tinit/test/vm/internal/console"
)

// script writes an executable shell script standing for a test binary.
func script(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	pass := script(t, "pass.test", `echo "vm=$TINIT_VM kernel=$TINIT_VM_KERNEL tier=$TINIT_EXPECT_TIER tinit=$TINIT_BINARY args=$*"`)
	fail := script(t, "fail.test", "exit 3")
	var out bytes.Buffer
	code := run(config{kernel: "6.1", tier: "pidfd", timeout: time.Minute, tests: []string{pass, fail}}, &out)
	if code != 1 {
		t.Errorf("got exit %d, want 1", code)
	}
	var events []any
	var text []string
	for _, line := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		ev, err := console.Parse(string(line))
		if err != nil {
			t.Fatal(err)
		}
		if ev == nil {
			text = append(text, string(line))
			continue
		}
		if e, ok := ev.(console.End); ok {
			e.Seconds = 0
			ev = e
		}
		if s, ok := ev.(console.Start); ok {
			s.Release, s.Uptime = "", 0
			ev = s
		}
		events = append(events, ev)
	}
	want := []any{
		console.Start{Kernel: "6.1", Tier: "pidfd", Tests: 2},
		console.Begin{Name: "pass"}, console.End{Name: "pass", Exit: 0},
		console.Begin{Name: "fail"}, console.End{Name: "fail", Exit: 3},
		console.Done{Exit: 1, Passed: 1, Failed: 1},
	}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("got events %v, want %v", events, want)
	}
	wantText := []string{"vm=1 kernel=6.1 tier=pidfd tinit=/init args=-test.v -test.count=1 -test.short -test.timeout=1m0s"}
	if !reflect.DeepEqual(text, wantText) {
		t.Errorf("got output %q, want %q", text, wantText)
	}
}

func TestRunMissingBinary(t *testing.T) {
	var out bytes.Buffer
	code := run(config{kernel: "7.x", tier: "autoreap", timeout: time.Minute, tests: []string{"/nonexistent/x.test"}}, &out)
	if code != 1 || !bytes.Contains(out.Bytes(), []byte("END x exit=125")) {
		t.Errorf("got exit %d and output %q, want 1 and END x exit=125", code, out.String())
	}
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-kernel=6.1", "-tier=pidfd", "-timeout=2m", "/guest/a.test", "/guest/b.test"})
	want := config{kernel: "6.1", tier: "pidfd", timeout: 2 * time.Minute, tests: []string{"/guest/a.test", "/guest/b.test"}}
	if err != nil || !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %+v, %v; want %+v", cfg, err, want)
	}
	for _, args := range [][]string{{"-tier=pidfd", "/a.test"}, {"-kernel=6.1", "-tier=pidfd"}, {"-bogus"}} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q): got no error", args)
		}
	}
}

// TestRunInPackageDir checks that each test binary starts in its own
// directory, as go test starts a package's tests.
func TestRunInPackageDir(t *testing.T) {
	pwd := script(t, "pwd.test", "pwd")
	var out bytes.Buffer
	if code := run(config{kernel: "k", tier: "pidfd", timeout: time.Minute, tests: []string{pwd}}, &out); code != 0 {
		t.Fatalf("got exit %d: %s", code, out.String())
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 3 || lines[2] != filepath.Dir(pwd) {
		t.Errorf("got output %q, want the directory %s on line 3", lines, filepath.Dir(pwd))
	}
}
